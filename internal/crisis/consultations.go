package crisis

// RequiredConsultations lists the parties the Presidency consults on the
// case before activating or deactivating IPCR (Annex II(3)): the affected
// Member States ("member-state:XX"), "commission" and "high-representative".
func RequiredConsultations(c Case) []string { return requiredConsultations(c.MemberStates()) }
