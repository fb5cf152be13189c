package severity

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/eucyber/blueprint/internal/failure"
)

// EntityType is a kind of entity for which Commission Implementing Regulation
// (EU) 2024/2690 specifies when an incident is significant (its Art 1). Other
// NIS2 entities use the thresholds of their Member State and NIS2 art. 23(3).
type EntityType string

const (
	DNSServiceProvider               EntityType = "dns-service-provider"                // Art 5
	TLDNameRegistry                  EntityType = "tld-name-registry"                   // Art 6
	CloudComputingServiceProvider    EntityType = "cloud-computing-service-provider"    // Art 7
	DataCentreServiceProvider        EntityType = "data-centre-service-provider"        // Art 8
	ContentDeliveryNetworkProvider   EntityType = "content-delivery-network-provider"   // Art 9
	ManagedServiceProvider           EntityType = "managed-service-provider"            // Art 10
	ManagedSecurityServiceProvider   EntityType = "managed-security-service-provider"   // Art 10
	OnlineMarketplaceProvider        EntityType = "online-marketplace-provider"         // Art 11
	OnlineSearchEngineProvider       EntityType = "online-search-engine-provider"       // Art 12
	SocialNetworkingPlatformProvider EntityType = "social-networking-platform-provider" // Art 13
	TrustServiceProvider             EntityType = "trust-service-provider"              // Art 14
)

// EntityTypes lists the entity types Regulation (EU) 2024/2690 covers, in the
// order of its articles.
func EntityTypes() []EntityType {
	return []EntityType{
		DNSServiceProvider, TLDNameRegistry, CloudComputingServiceProvider, DataCentreServiceProvider,
		ContentDeliveryNetworkProvider, ManagedServiceProvider, ManagedSecurityServiceProvider,
		OnlineMarketplaceProvider, OnlineSearchEngineProvider, SocialNetworkingPlatformProvider,
		TrustServiceProvider,
	}
}

// Article is the article of Regulation (EU) 2024/2690 with the criteria for
// the entity type, and false for a type it does not cover.
func (e EntityType) Article() (int, bool) {
	switch e {
	case DNSServiceProvider:
		return 5, true
	case TLDNameRegistry:
		return 6, true
	case CloudComputingServiceProvider:
		return 7, true
	case DataCentreServiceProvider:
		return 8, true
	case ContentDeliveryNetworkProvider:
		return 9, true
	case ManagedServiceProvider, ManagedSecurityServiceProvider:
		return 10, true
	case OnlineMarketplaceProvider:
		return 11, true
	case OnlineSearchEngineProvider:
		return 12, true
	case SocialNetworkingPlatformProvider:
		return 13, true
	case TrustServiceProvider:
		return 14, true
	}
	return 0, false
}

// service is what the entity type provides, as the criteria name it.
func (e EntityType) service() string {
	switch e {
	case DNSServiceProvider:
		return "recursive or authoritative domain name resolution service"
	case TLDNameRegistry:
		return "authoritative domain name resolution service"
	case CloudComputingServiceProvider:
		return "cloud computing service"
	case DataCentreServiceProvider:
		return "data centre service"
	case ContentDeliveryNetworkProvider:
		return "content delivery network"
	case ManagedServiceProvider:
		return "managed service"
	case ManagedSecurityServiceProvider:
		return "managed security service"
	case OnlineMarketplaceProvider:
		return "online marketplace"
	case OnlineSearchEngineProvider:
		return "online search engine"
	case SocialNetworkingPlatformProvider:
		return "social networking services platform"
	case TrustServiceProvider:
		return "trust service"
	}
	return "service"
}

// Slowdown is a period during which a DNS service answered slowly (Arts
// 5(b) and 6(b)).
type Slowdown struct {
	AverageResponse Span `json:"average_response"` // average response time to DNS requests
	Duration        Span `json:"duration"`         // how long that average held
}

// EntityImpact is what an entity of a type Regulation (EU) 2024/2690 covers
// reports about an incident. Every figure is optional: nil means "not known
// yet", which is not zero (use Known to set one). Figures are what the
// incident caused or, where the Regulation says so, can cause. Money is in
// euro cents; user counts are users in the Union, counting, as Art 3(3)
// requires, customers with a contract and the natural and legal persons
// associated with business customers. Durations are Spans, written in JSON
// as "90m" or "1h30m0s".
type EntityImpact struct {
	Entity EntityType `json:"entity"`

	// Art 3(1)(a): direct financial loss for the entity, and its total
	// annual turnover in the preceding financial year.
	DirectFinancialLoss *int64 `json:"direct_financial_loss_cents,omitempty"`
	AnnualTurnover      *int64 `json:"annual_turnover_cents,omitempty"`
	// Art 3(1)(b): trade secrets (Directive (EU) 2016/943 art. 2(1)) exfiltrated.
	TradeSecretsExfiltrated *bool `json:"trade_secrets_exfiltrated,omitempty"`
	// Art 3(1)(c): the death of a natural person, caused or possible.
	Death *bool `json:"death,omitempty"`
	// Art 3(1)(d): considerable damage to a natural person's health.
	HealthDamage *bool `json:"health_damage,omitempty"`
	// Art 3(1)(e): a successful, suspectedly malicious and unauthorised access
	// to network and information systems, capable of causing severe
	// operational disruption.
	MaliciousAccess *bool `json:"malicious_access,omitempty"`

	// ScheduledInterruption: the unavailability or limited availability is a
	// scheduled interruption, or the planned consequence of scheduled
	// maintenance (Art 3(2)); the availability criteria then do not apply.
	ScheduledInterruption bool `json:"scheduled_interruption,omitempty"`

	// Users is the number of users of the service in the Union: the base of
	// the percentage thresholds.
	Users *int64 `json:"users,omitempty"`
	// CompletelyUnavailableFor: how long the service was completely
	// unavailable (Arts 5–10, 14); zero if it never was.
	CompletelyUnavailableFor *Span `json:"completely_unavailable_for,omitempty"`
	// CompletelyUnavailableUsers: for how many users it was completely
	// unavailable (Arts 11–13).
	CompletelyUnavailableUsers *int64 `json:"completely_unavailable_users,omitempty"`
	// UnavailableInWeek: how long a trust service was unavailable to users or
	// relying parties in one calendar week (Art 14).
	UnavailableInWeek *Span `json:"unavailable_in_week,omitempty"`
	// LimitedAvailabilityFor and LimitedAvailabilityUsers: how long, and for
	// how many users (or relying parties), availability was limited (Arts
	// 7–14).
	LimitedAvailabilityFor   *Span  `json:"limited_availability_for,omitempty"`
	LimitedAvailabilityUsers *int64 `json:"limited_availability_users,omitempty"`
	// Slowdown: slow answers to DNS requests (Arts 5–6).
	Slowdown *Slowdown `json:"slowdown,omitempty"`

	// ICACompromised: the integrity, confidentiality or authenticity of data
	// stored, transmitted or processed for the service is compromised.
	ICACompromised *bool `json:"ica_compromised,omitempty"`
	// ICASuspectedMalicious: the compromise results from a suspectedly
	// malicious action (Arts 7–13).
	ICASuspectedMalicious *bool `json:"ica_suspected_malicious,omitempty"`
	// ICAUsers: users (or relying parties) the compromise has an impact on
	// (Arts 7, 9–14).
	ICAUsers *int64 `json:"ica_users,omitempty"`
	// ICAMisconfiguration, DomainNamesAffected, DomainNamesManaged: the Art
	// 5(c) exception for DNS data that is wrong through misconfiguration.
	ICAMisconfiguration *bool  `json:"ica_misconfiguration,omitempty"`
	DomainNamesAffected *int64 `json:"domain_names_affected,omitempty"`
	DomainNamesManaged  *int64 `json:"domain_names_managed,omitempty"`
	// PhysicalAccessCompromised: physical access to a data centre (Art 8), or
	// to a restricted area holding the network and information systems of a
	// trust service (Art 14), is compromised.
	PhysicalAccessCompromised *bool `json:"physical_access_compromised,omitempty"`
}

// Bounds that keep the figures of an EntityImpact meaningful and storable:
// JSON numbers are often read as IEEE doubles (the event store keeps them so),
// exact only up to 2^53. Both are far beyond any real incident, so a larger
// figure is a slip of units, not an impact.
const (
	maxCount = 10_000_000_000      // users or domain names: more than people on Earth
	maxCents = 100_000_000_000_000 // EUR 1 000 000 000 000
	week     = 7 * 24 * time.Hour
)

// Validate checks that the figures can be true of one incident: an entity
// type Regulation (EU) 2024/2690 covers (for any other, national thresholds
// apply and there is nothing to give), no negative amount, count or
// duration, no absurdly large amount or count, no more users affected than
// the service has, no more domain names misconfigured than managed, and no
// more unavailability in a calendar week than the week holds. It names every
// fault at once: each is a failure.Field error naming the JSON field
// ("users", "slowdown.duration"), and they are joined with errors.Join.
// Regulation2024_2690 takes unvalidated figures too: a negative one counts
// as not given there.
func (e EntityImpact) Validate() error {
	var errs []error
	field := func(name, format string, args ...any) { errs = append(errs, failure.Field(name, format, args...)) }
	if _, ok := e.Entity.Article(); !ok {
		types := make([]string, 0, len(EntityTypes()))
		for _, t := range EntityTypes() {
			types = append(types, string(t))
		}
		valid := strings.Join(types, ", ")
		if e.Entity == "" {
			field("entity", "is missing: one of %s (Art 1 of Regulation (EU) 2024/2690)", valid)
		} else {
			field("entity", "%q is not an entity type Regulation (EU) 2024/2690 covers: one of %s (its Art 1); other entities are assessed against national thresholds (NIS2 art. 23(3))", e.Entity, valid)
		}
	}
	for _, n := range []struct {
		name   string
		v      *int64
		max    int64
		format func(int64) string
	}{
		{"direct_financial_loss_cents", e.DirectFinancialLoss, maxCents, formatEUR},
		{"annual_turnover_cents", e.AnnualTurnover, maxCents, formatEUR},
		{"users", e.Users, maxCount, formatCount},
		{"completely_unavailable_users", e.CompletelyUnavailableUsers, maxCount, formatCount},
		{"limited_availability_users", e.LimitedAvailabilityUsers, maxCount, formatCount},
		{"ica_users", e.ICAUsers, maxCount, formatCount},
		{"domain_names_affected", e.DomainNamesAffected, maxCount, formatCount},
		{"domain_names_managed", e.DomainNamesManaged, maxCount, formatCount},
	} {
		switch {
		case n.v == nil:
		case *n.v < 0:
			field(n.name, "cannot be negative")
		case *n.v > n.max:
			field(n.name, "must be at most %s", n.format(n.max))
		}
	}
	var slowResponse, slowFor *Span
	if e.Slowdown != nil {
		slowResponse, slowFor = &e.Slowdown.AverageResponse, &e.Slowdown.Duration
	}
	for _, s := range []struct {
		name string
		v    *Span
	}{
		{"completely_unavailable_for", e.CompletelyUnavailableFor},
		{"unavailable_in_week", e.UnavailableInWeek},
		{"limited_availability_for", e.LimitedAvailabilityFor},
		{"slowdown.average_response", slowResponse},
		{"slowdown.duration", slowFor},
	} {
		if s.v != nil && *s.v < 0 {
			field(s.name, "cannot be negative (%s)", *s.v)
		}
	}
	if w := e.UnavailableInWeek; w != nil && time.Duration(*w) > week {
		field("unavailable_in_week", "%s is longer than a calendar week (%s)", *w, Span(week))
	}
	if e.Users != nil && *e.Users >= 0 {
		for _, n := range []struct {
			name string
			v    *int64
		}{
			{"completely_unavailable_users", e.CompletelyUnavailableUsers},
			{"limited_availability_users", e.LimitedAvailabilityUsers},
			{"ica_users", e.ICAUsers},
		} {
			if n.v != nil && *n.v > *e.Users {
				field(n.name, "is more than users (%s), all the users of the service in the Union", formatCount(*e.Users))
			}
		}
	}
	if a, m := e.DomainNamesAffected, e.DomainNamesManaged; a != nil && m != nil && *m >= 0 && *a > *m {
		field("domain_names_affected", "is more than domain_names_managed (%s)", formatCount(*m))
	}
	return errors.Join(errs...)
}

const (
	regulation = "of Regulation (EU) 2024/2690"
	// unverified marks criteria whose wording was not read in the OJ text
	// (STANDARDS.md §4b, marked [V]): Arts 12–13 follow the pattern of Art
	// 11, Art 14's wording is from a secondary reading.
	unverified = " (unverified against the OJ text)"

	financialCap  = 500_000_00 // EUR 500 000 in cents, Art 3(1)(a)
	millionUsers  = 1_000_000
	tspUsers      = 200_000
	tspICAUsers   = 100
	fewDomains    = 1_000
	halfHour      = 30 * time.Minute
	twentyMinutes = 20 * time.Minute
	slowAnswer    = 10 * time.Second
)

// criterion is one criterion checked.
type criterion struct {
	ref          string // "Art 7(a)"
	availability bool   // set aside by Art 3(2) for scheduled interruptions
	unverified   bool   // wording not read in the OJ text
	v            verdict
	text         string
}

// Regulation2024_2690 suggests whether an incident at an entity of a type
// that Commission Implementing Regulation (EU) 2024/2690 covers is
// significant: the horizontal criteria of Art 3(1)(a)–(e) and the
// entity-specific criteria of its Arts 5–14 (Art 3(1)(g)). Recurring
// incidents (Art 3(1)(f), Art 4) need the entity's other incidents and are
// not checked here; the reasons say so. For any other entity type nothing is
// computed: national thresholds apply (NIS2 art. 23(3)), and the suggestion
// says so.
//
// Like SuggestSignificant, this only suggests; the entity notifies and the
// CSIRT or competent authority decides. Each reason cites its article.
// Criteria whose wording STANDARDS.md marks as not verified against the
// Official Journal (Arts 12–14) say "(unverified against the OJ text)".
func Regulation2024_2690(in EntityImpact) Suggestion {
	art, covered := in.Entity.Article()
	switch {
	case in.Entity == "":
		return Suggestion{Outcome: OutcomeNotEnoughInformation, Reasons: []Reason{{
			Text: "not enough information: the entity type is not given; Regulation (EU) 2024/2690 applies only to the entity types of its Art 1",
			Ref:  "Art 1 " + regulation,
		}}}
	case !covered:
		return Suggestion{Outcome: OutcomeNotCovered, Reasons: []Reason{{
			Text: fmt.Sprintf("Regulation (EU) 2024/2690 does not cover entities of type %q (its Art 1 lists DNS service providers, TLD name registries, "+
				"cloud computing, data centre and content delivery network providers, managed service and managed security service providers, "+
				"online marketplaces, online search engines, social networking services platforms and trust service providers); "+
				"national thresholds apply under NIS2 art. 23(3), and nothing is computed here", string(in.Entity)),
			Ref: "Art 1 " + regulation + "; NIS2 art. 23(3)",
		}}}
	}

	cs := horizontal(in)
	for _, c := range specific(art, in) {
		c.unverified = art >= 12
		cs = append(cs, c)
	}
	var met, missing, notMet []Reason
	scheduledNoted := false
	for _, c := range cs {
		mark := ""
		if c.unverified {
			mark = unverified
		}
		if c.availability && in.ScheduledInterruption {
			if !scheduledNoted {
				notMet = append(notMet, Reason{
					Text: fmt.Sprintf("Art 3(2) %s: the unavailability or limited availability is a scheduled interruption or the planned consequence of scheduled maintenance, so the availability criteria of Art %d do not make it significant", regulation, art),
					Ref:  "Art 3(2) " + regulation,
				})
				scheduledNoted = true
			}
			continue
		}
		r := Reason{Ref: c.ref + " " + regulation}
		switch c.v {
		case verdictMet:
			r.Text = c.ref + " " + regulation + ": " + c.text + mark
			met = append(met, r)
		case verdictNotMet:
			r.Text = c.ref + " " + regulation + ": " + c.text + mark
			notMet = append(notMet, r)
		default:
			r.Text = c.ref + " " + regulation + ": not enough information: " + c.text + mark
			missing = append(missing, r)
		}
	}
	s := conclude(met, missing, notMet)
	if !s.Significant {
		s.Reasons = append(s.Reasons, Reason{
			Text: "Art 3(1)(f) and Art 4 " + regulation + ": recurring incidents (at least twice in 6 months, with the same apparent root cause, together meeting Art 3(1)(a)) are not checked here; look at the entity's related incidents",
			Ref:  "Art 3(1)(f); Art 4 " + regulation,
		})
	}
	return s
}

// horizontal checks Art 3(1)(a)–(e), which apply to every covered entity.
func horizontal(in EntityImpact) []criterion {
	return []criterion{
		financialLoss(in.DirectFinancialLoss, in.AnnualTurnover),
		yesNo("Art 3(1)(b)", in.TradeSecretsExfiltrated,
			"trade secrets (Directive (EU) 2016/943 art. 2(1)) have been exfiltrated",
			"no trade secrets have been exfiltrated",
			"trade secrets have been exfiltrated"),
		yesNo("Art 3(1)(c)", in.Death,
			"the incident caused, or can cause, the death of a natural person",
			"the incident neither caused nor can cause the death of a natural person",
			"the incident caused, or can cause, the death of a natural person"),
		yesNo("Art 3(1)(d)", in.HealthDamage,
			"the incident caused, or can cause, considerable damage to a natural person's health",
			"the incident neither caused nor can cause considerable damage to a natural person's health",
			"the incident caused, or can cause, considerable damage to a natural person's health"),
		yesNo("Art 3(1)(e)", in.MaliciousAccess,
			"successful, suspectedly malicious and unauthorised access to network and information systems, capable of causing severe operational disruption",
			"no successful, suspectedly malicious and unauthorised access capable of causing severe operational disruption",
			"there was successful, suspectedly malicious and unauthorised access capable of causing severe operational disruption"),
	}
}

// specific checks the criteria of the entity type's article (Art 3(1)(g)).
func specific(art int, in EntityImpact) []criterion {
	svc := in.Entity.service()
	ref := func(letter string) string { return fmt.Sprintf("Art %d(%s)", art, letter) }
	avail := func(c criterion) criterion { c.availability = true; return c }
	data := "data related to the provision of the " + svc
	switch art {
	case 5, 6:
		var complete, ica criterion
		if art == 5 {
			complete = durationOver(ref("a"), in.CompletelyUnavailableFor, halfHour, svc, "completely unavailable")
			ica = dnsData(ref("c"), in)
		} else {
			complete = durationOver(ref("a"), in.CompletelyUnavailableFor, 0, svc, "completely unavailable")
			ica = yesNo(ref("c"), in.ICACompromised,
				"the integrity, confidentiality or authenticity of data related to the technical operation of the TLD is compromised",
				"the integrity, confidentiality and authenticity of data related to the technical operation of the TLD are not compromised",
				"the integrity, confidentiality or authenticity of data related to the technical operation of the TLD is compromised")
		}
		return []criterion{avail(complete), avail(slowdown(ref("b"), in.Slowdown, svc)), ica}
	case 7, 9, 10:
		return []criterion{
			avail(durationOver(ref("a"), in.CompletelyUnavailableFor, halfHour, svc, "completely unavailable")),
			avail(both(ref("b"),
				usersOver("", in.LimitedAvailabilityUsers, in.Users, 5, 100, "5 %", millionUsers, "availability of the "+svc+" limited", "users"),
				durationOver("", in.LimitedAvailabilityFor, time.Hour, "", "limited availability"))),
			icaMalicious(ref("c"), in, data),
			icaUsers(ref("d"), in, data, 5, 100, "5 %", millionUsers, "users"),
		}
	case 8:
		return []criterion{
			avail(durationOver(ref("a"), in.CompletelyUnavailableFor, 0, "data centre service of a data centre operated by the provider", "completely unavailable")),
			avail(durationOver(ref("b"), in.LimitedAvailabilityFor, time.Hour, "availability of a data centre service", "limited")),
			icaMalicious(ref("c"), in, data),
			yesNo(ref("d"), in.PhysicalAccessCompromised,
				"physical access to a data centre operated by the provider is compromised",
				"physical access to the provider's data centres is not compromised",
				"physical access to a data centre operated by the provider is compromised"),
		}
	case 11, 12, 13:
		return []criterion{
			avail(usersOver(ref("a"), in.CompletelyUnavailableUsers, in.Users, 5, 100, "5 %", millionUsers, svc+" completely unavailable", "users")),
			avail(usersOver(ref("b"), in.LimitedAvailabilityUsers, in.Users, 5, 100, "5 %", millionUsers, "availability of the "+svc+" limited", "users")),
			icaMalicious(ref("c"), in, data),
			icaUsers(ref("d"), in, data, 5, 100, "5 %", millionUsers, "users"),
		}
	case 14:
		return []criterion{
			avail(durationOver(ref("a"), in.CompletelyUnavailableFor, twentyMinutes, "trust service", "completely unavailable")),
			avail(durationOver(ref("b"), in.UnavailableInWeek, time.Hour, "trust service", "unavailable to users or relying parties in a calendar week")),
			avail(usersOver(ref("c"), in.LimitedAvailabilityUsers, in.Users, 1, 100, "1 %", tspUsers, "availability of the trust service limited", "users or relying parties")),
			yesNo(ref("d"), in.PhysicalAccessCompromised,
				"physical access to an area holding network and information systems, restricted to trusted personnel, is compromised",
				"physical access to the restricted areas holding network and information systems is not compromised",
				"physical access to a restricted area holding network and information systems is compromised"),
			icaUsers(ref("e"), in, data, 1, 1000, "0.1 %", tspICAUsers, "users or relying parties"),
		}
	}
	return nil
}

// yesNo checks a criterion that is a plain fact; question completes "the
// report does not say whether …".
func yesNo(ref string, b *bool, yes, no, question string) criterion {
	switch {
	case b == nil:
		return criterion{ref: ref, v: verdictUnknown, text: "the report does not say whether " + question}
	case *b:
		return criterion{ref: ref, v: verdictMet, text: yes}
	}
	return criterion{ref: ref, v: verdictNotMet, text: no}
}

// financialLoss checks Art 3(1)(a): a direct financial loss above EUR 500 000
// or 5 % of the total annual turnover of the preceding financial year,
// whichever is lower.
func financialLoss(loss, turnover *int64) criterion {
	c := criterion{ref: "Art 3(1)(a)"}
	rule := "the threshold is EUR 500 000 or 5 % of annual turnover, whichever is lower"
	switch {
	case loss == nil:
		c.text = "the direct financial loss for the entity is not given"
		return c
	case *loss < 0:
		c.text = fmt.Sprintf("the direct financial loss given (%s) is negative", formatEUR(*loss))
		return c
	case *loss > financialCap:
		c.v, c.text = verdictMet, fmt.Sprintf("direct financial loss of %s, more than EUR 500 000 (%s)", formatEUR(*loss), rule)
		return c
	case turnover == nil || *turnover < 0:
		c.text = fmt.Sprintf("direct financial loss of %s is not more than EUR 500 000; the annual turnover of the preceding financial year is needed to check 5 %% of it (%s)", formatEUR(*loss), rule)
		return c
	}
	five := fracFloor(*turnover, 1, 20)
	switch {
	case *loss > five:
		c.v, c.text = verdictMet, fmt.Sprintf("direct financial loss of %s, more than 5 %% of annual turnover of %s (%s), which is lower than EUR 500 000", formatEUR(*loss), formatEUR(*turnover), formatEUR(five))
	case five < financialCap:
		c.v, c.text = verdictNotMet, fmt.Sprintf("direct financial loss of %s, not more than 5 %% of annual turnover of %s (%s), the lower threshold", formatEUR(*loss), formatEUR(*turnover), formatEUR(five))
	default:
		c.v, c.text = verdictNotMet, fmt.Sprintf("direct financial loss of %s, not more than EUR 500 000, the lower threshold (5 %% of annual turnover of %s is %s)", formatEUR(*loss), formatEUR(*turnover), formatEUR(five))
	}
	return c
}

// durationOver checks that subject was in state for longer than limit; a
// zero limit means any duration counts.
func durationOver(ref string, span *Span, limit time.Duration, subject, state string) criterion {
	c := criterion{ref: ref}
	what := strings.TrimSpace(subject + " " + state)
	var d time.Duration
	if span != nil {
		d = time.Duration(*span)
	}
	switch {
	case span == nil && limit == 0:
		c.text = what + ": not given whether, or for how long"
	case span == nil:
		c.text = what + ": duration not given"
	case d < 0:
		c.text = fmt.Sprintf("the duration given for %s (%s) is negative", what, formatDuration(d))
	case limit == 0 && d > 0:
		c.v, c.text = verdictMet, fmt.Sprintf("%s for %s (any duration counts)", what, formatDuration(d))
	case d == 0:
		c.v, c.text = verdictNotMet, strings.TrimSpace(subject+" never "+state)
	case d > limit:
		c.v, c.text = verdictMet, fmt.Sprintf("%s for %s (> %s)", what, formatDuration(d), formatDuration(limit))
	default:
		c.v, c.text = verdictNotMet, fmt.Sprintf("%s for %s (not more than %s)", what, formatDuration(d), formatDuration(limit))
	}
	return c
}

// usersOver checks that x exceeds p/q (shown as pct) of total users or abs
// users, whichever number is smaller.
func usersOver(ref string, x, total *int64, p, q int64, pct string, abs int64, what, users string) criterion {
	c := criterion{ref: ref}
	rule := fmt.Sprintf("the threshold is %s of %s in the Union or %s %s, whichever number is smaller", pct, users, formatCount(abs), users)
	switch {
	case x == nil:
		c.text = fmt.Sprintf("%s: number of %s affected not given", what, users)
		return c
	case *x < 0:
		c.text = fmt.Sprintf("the number of %s given for %s (%s) is negative", users, what, formatCount(*x))
		return c
	case *x > abs:
		c.v, c.text = verdictMet, fmt.Sprintf("%s for %s %s, more than %s (%s)", what, formatCount(*x), users, formatCount(abs), rule)
		return c
	case total == nil || *total < 0:
		c.text = fmt.Sprintf("%s for %s %s, not more than %s; the number of %s in the Union is needed to check %s (%s)", what, formatCount(*x), users, formatCount(abs), users, pct, rule)
		return c
	}
	share := fracFloor(*total, p, q)
	switch {
	case *x > share:
		c.v, c.text = verdictMet, fmt.Sprintf("%s for %s of %s %s in the Union, more than %s of them, which is smaller than %s %s", what, formatCount(*x), formatCount(*total), users, pct, formatCount(abs), users)
	case share < abs:
		c.v, c.text = verdictNotMet, fmt.Sprintf("%s for %s of %s %s in the Union, not more than %s of them, the smaller threshold", what, formatCount(*x), formatCount(*total), users, pct)
	default:
		c.v, c.text = verdictNotMet, fmt.Sprintf("%s for %s %s, not more than %s, the smaller threshold (%s of %s %s in the Union is more)", what, formatCount(*x), users, formatCount(abs), pct, formatCount(*total), users)
	}
	return c
}

// both combines two checks that must both be met, under the first's ref.
func both(ref string, a, b criterion) criterion {
	c := criterion{ref: ref, text: a.text + "; " + b.text}
	switch {
	case a.v == verdictNotMet || b.v == verdictNotMet:
		c.v = verdictNotMet
	case a.v == verdictMet && b.v == verdictMet:
		c.v = verdictMet
	}
	return c
}

// slowdown checks Arts 5(b) and 6(b): for more than one hour, an average
// response time to DNS requests of more than 10 seconds.
func slowdown(ref string, s *Slowdown, svc string) criterion {
	c := criterion{ref: ref}
	switch {
	case s == nil:
		c.text = "the report does not give the average response time of the " + svc + " to DNS requests and how long it lasted"
	case time.Duration(s.Duration) > time.Hour && time.Duration(s.AverageResponse) > slowAnswer:
		c.v, c.text = verdictMet, fmt.Sprintf("average response time of %s to DNS requests for %s (> 10 s for > 1 h)", formatDuration(time.Duration(s.AverageResponse)), formatDuration(time.Duration(s.Duration)))
	default:
		c.v, c.text = verdictNotMet, fmt.Sprintf("average response time of %s to DNS requests for %s (the criterion is > 10 s for > 1 h)", formatDuration(time.Duration(s.AverageResponse)), formatDuration(time.Duration(s.Duration)))
	}
	return c
}

// icaCompromised reports the state of the ICA flag as a criterion that is
// not met or unknown, and whether the caller must look further.
func icaCompromised(ref string, in EntityImpact, data string) (criterion, bool) {
	switch {
	case in.ICACompromised == nil:
		return criterion{ref: ref, text: "the report does not say whether the integrity, confidentiality or authenticity of " + data + " is compromised"}, false
	case !*in.ICACompromised:
		return criterion{ref: ref, v: verdictNotMet, text: "the integrity, confidentiality and authenticity of " + data + " are not compromised"}, false
	}
	return criterion{}, true
}

// icaMalicious checks "the integrity, confidentiality or authenticity … is
// compromised as a result of a suspectedly malicious action" (Arts 7–13(c)).
func icaMalicious(ref string, in EntityImpact, data string) criterion {
	if c, more := icaCompromised(ref, in, data); !more {
		return c
	}
	return yesNo(ref, in.ICASuspectedMalicious,
		"the integrity, confidentiality or authenticity of "+data+" is compromised as a result of a suspectedly malicious action",
		"the integrity, confidentiality or authenticity of "+data+" is compromised, but not as a result of a suspectedly malicious action",
		"the compromise of "+data+" results from a suspectedly malicious action")
}

// icaUsers checks a compromise of integrity, confidentiality or authenticity
// with an impact on more than a share of users or a number of them,
// whichever is smaller.
func icaUsers(ref string, in EntityImpact, data string, p, q int64, pct string, abs int64, users string) criterion {
	if c, more := icaCompromised(ref, in, data); !more {
		return c
	}
	return usersOver(ref, in.ICAUsers, in.Users, p, q, pct, abs,
		"integrity, confidentiality or authenticity of "+data+" compromised", users)
}

// dnsData checks Art 5(c): the integrity, confidentiality or authenticity of
// data related to authoritative resolution is compromised, except where the
// data of fewer than 1 000 domain names, no more than 1 % of those managed,
// are wrong through misconfiguration.
func dnsData(ref string, in EntityImpact) criterion {
	data := "data related to the provision of the authoritative domain name resolution service"
	if c, more := icaCompromised(ref, in, data); !more {
		return c
	}
	compromised := "the integrity, confidentiality or authenticity of " + data + " is compromised"
	c := criterion{ref: ref}
	switch m := in.ICAMisconfiguration; {
	case m == nil:
		c.text = "the report does not say whether the compromised DNS data is wrong through misconfiguration, which may fall under the exception of Art 5(c)"
	case !*m:
		c.v, c.text = verdictMet, compromised+", not through misconfiguration"
	case in.DomainNamesAffected == nil || *in.DomainNamesAffected < 0:
		c.text = "the DNS data is wrong through misconfiguration; the number of domain names affected is needed to check the exception of Art 5(c) (fewer than 1 000 and no more than 1 % of those managed)"
	case *in.DomainNamesAffected >= fewDomains:
		c.v, c.text = verdictMet, fmt.Sprintf("%s: misconfiguration affecting %s domain names, not fewer than 1 000, so the exception does not apply", compromised, formatCount(*in.DomainNamesAffected))
	case in.DomainNamesManaged == nil || *in.DomainNamesManaged < 0:
		c.text = fmt.Sprintf("misconfiguration affecting %s domain names, fewer than 1 000; the number of domain names managed is needed to check whether that is no more than 1 %% (the exception of Art 5(c))", formatCount(*in.DomainNamesAffected))
	case *in.DomainNamesAffected > fracFloor(*in.DomainNamesManaged, 1, 100):
		c.v, c.text = verdictMet, fmt.Sprintf("%s: misconfiguration affecting %s of %s domain names managed, more than 1 %%, so the exception does not apply", compromised, formatCount(*in.DomainNamesAffected), formatCount(*in.DomainNamesManaged))
	default:
		c.v, c.text = verdictNotMet, fmt.Sprintf("misconfiguration affecting %s of %s domain names managed: fewer than 1 000 and no more than 1 %%, which Art 5(c) excepts", formatCount(*in.DomainNamesAffected), formatCount(*in.DomainNamesManaged))
	}
	return c
}
