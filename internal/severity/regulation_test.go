package severity

import (
	"strings"
	"testing"
	"time"
)

const eur = 100 // cents

// quiet is an incident at an entity of type e for which every figure is
// known and meets no criterion, so that a test changes one figure and sees
// only that criterion's effect. The entity has 100 000 000 users in the
// Union and EUR 100 000 000 turnover, so the absolute thresholds are the
// smaller ones.
func quiet(e EntityType) EntityImpact {
	return EntityImpact{
		Entity:                     e,
		DirectFinancialLoss:        Known[int64](0),
		AnnualTurnover:             Known[int64](100_000_000 * eur),
		TradeSecretsExfiltrated:    Known(false),
		Death:                      Known(false),
		HealthDamage:               Known(false),
		MaliciousAccess:            Known(false),
		Users:                      Known[int64](100_000_000),
		CompletelyUnavailableFor:   Known[Span](0),
		CompletelyUnavailableUsers: Known[int64](0),
		UnavailableInWeek:          Known[Span](0),
		LimitedAvailabilityFor:     Known[Span](0),
		LimitedAvailabilityUsers:   Known[int64](0),
		Slowdown:                   &Slowdown{},
		ICACompromised:             Known(false),
		ICASuspectedMalicious:      Known(false),
		ICAUsers:                   Known[int64](0),
		ICAMisconfiguration:        Known(false),
		DomainNamesAffected:        Known[int64](0),
		DomainNamesManaged:         Known[int64](0),
		PhysicalAccessCompromised:  Known(false),
	}
}

func TestQuietIsNotSignificant(t *testing.T) {
	for _, e := range EntityTypes() {
		s := Regulation2024_2690(quiet(e))
		if s.Outcome != OutcomeNotSignificant || s.Significant {
			t.Errorf("%s: quiet incident gave %s: %+v", e, s.Outcome, s.Reasons)
		}
		art, _ := e.Article()
		checkReasons(t, s, []string{"Art 3(1)(a) of Regulation (EU) 2024/2690", "Art " + itoa(art) + "(a) of Regulation (EU) 2024/2690", "Art 3(1)(f) and Art 4"})
	}
}

func itoa(n int) string { return strings.TrimSpace(formatCount(int64(n))) }

func TestRegulation2024_2690(t *testing.T) {
	for _, tc := range []struct {
		name    string
		entity  EntityType
		change  func(*EntityImpact)
		outcome Outcome
		want    []string
	}{
		// Art 3(1)(a): EUR 500 000 or 5 % of turnover, whichever is lower.
		{
			name: "3(1)(a) loss above EUR 500 000", entity: CloudComputingServiceProvider, outcome: OutcomeSignificant,
			change: func(in *EntityImpact) { in.DirectFinancialLoss = Known[int64](500_000*eur + 1) },
			want:   []string{"Art 3(1)(a) of Regulation (EU) 2024/2690: direct financial loss of EUR 500 000.01, more than EUR 500 000"},
		},
		{
			name: "3(1)(a) loss of exactly EUR 500 000", entity: CloudComputingServiceProvider, outcome: OutcomeNotSignificant,
			change: func(in *EntityImpact) { in.DirectFinancialLoss = Known[int64](500_000 * eur) },
			want:   []string{"Art 3(1)(a) of Regulation (EU) 2024/2690: direct financial loss of EUR 500 000, not more than EUR 500 000, the lower threshold (5 % of annual turnover of EUR 100 000 000 is EUR 5 000 000)"},
		},
		{
			name: "3(1)(a) 5 % of turnover is lower, and exceeded", entity: DNSServiceProvider, outcome: OutcomeSignificant,
			change: func(in *EntityImpact) {
				in.AnnualTurnover = Known[int64](4_000_000 * eur)
				in.DirectFinancialLoss = Known[int64](200_000*eur + 1)
			},
			want: []string{"direct financial loss of EUR 200 000.01, more than 5 % of annual turnover of EUR 4 000 000 (EUR 200 000), which is lower than EUR 500 000"},
		},
		{
			name: "3(1)(a) 5 % of turnover is lower, and reached only", entity: DNSServiceProvider, outcome: OutcomeNotSignificant,
			change: func(in *EntityImpact) {
				in.AnnualTurnover = Known[int64](4_000_000 * eur)
				in.DirectFinancialLoss = Known[int64](200_000 * eur)
			},
			want: []string{"direct financial loss of EUR 200 000, not more than 5 % of annual turnover of EUR 4 000 000 (EUR 200 000), the lower threshold"},
		},
		{
			name: "3(1)(a) turnover unknown, loss above EUR 500 000", entity: DNSServiceProvider, outcome: OutcomeSignificant,
			change: func(in *EntityImpact) {
				in.AnnualTurnover = nil
				in.DirectFinancialLoss = Known[int64](600_000 * eur)
			},
			want: []string{"more than EUR 500 000"},
		},
		{
			name: "3(1)(a) turnover unknown, loss below EUR 500 000", entity: DNSServiceProvider, outcome: OutcomeNotEnoughInformation,
			change: func(in *EntityImpact) {
				in.AnnualTurnover = nil
				in.DirectFinancialLoss = Known[int64](300_000 * eur)
			},
			want: []string{"Art 3(1)(a) of Regulation (EU) 2024/2690: not enough information: direct financial loss of EUR 300 000 is not more than EUR 500 000; the annual turnover of the preceding financial year is needed"},
		},
		{
			name: "3(1)(b) trade secrets", entity: TLDNameRegistry, outcome: OutcomeSignificant,
			change: func(in *EntityImpact) { in.TradeSecretsExfiltrated = Known(true) },
			want:   []string{"Art 3(1)(b) of Regulation (EU) 2024/2690: trade secrets"},
		},
		{
			name: "3(1)(c) death", entity: TrustServiceProvider, outcome: OutcomeSignificant,
			change: func(in *EntityImpact) { in.Death = Known(true) },
			want:   []string{"Art 3(1)(c) of Regulation (EU) 2024/2690: the incident caused, or can cause, the death of a natural person"},
		},
		{
			name: "3(1)(d) health", entity: DataCentreServiceProvider, outcome: OutcomeSignificant,
			change: func(in *EntityImpact) { in.HealthDamage = Known(true) },
			want:   []string{"Art 3(1)(d) of Regulation (EU) 2024/2690: the incident caused, or can cause, considerable damage to a natural person's health"},
		},
		{
			name: "3(1)(e) malicious access", entity: ManagedServiceProvider, outcome: OutcomeSignificant,
			change: func(in *EntityImpact) { in.MaliciousAccess = Known(true) },
			want:   []string{"Art 3(1)(e) of Regulation (EU) 2024/2690: successful, suspectedly malicious and unauthorised access"},
		},

		// Art 5: DNS service providers.
		{
			name: "5(a) unavailable for more than 30 min", entity: DNSServiceProvider, outcome: OutcomeSignificant,
			change: func(in *EntityImpact) { in.CompletelyUnavailableFor = Known(Span(30*time.Minute + time.Second)) },
			want:   []string{"Art 5(a) of Regulation (EU) 2024/2690: recursive or authoritative domain name resolution service completely unavailable for 30 min 1 s (> 30 min)"},
		},
		{
			name: "5(a) unavailable for 30 min", entity: DNSServiceProvider, outcome: OutcomeNotSignificant,
			change: func(in *EntityImpact) { in.CompletelyUnavailableFor = Known(Span(30 * time.Minute)) },
			want:   []string{"Art 5(a) of Regulation (EU) 2024/2690: recursive or authoritative domain name resolution service completely unavailable for 30 min (not more than 30 min)"},
		},
		{
			name: "5(b) slow for more than 1 h", entity: DNSServiceProvider, outcome: OutcomeSignificant,
			change: func(in *EntityImpact) {
				in.Slowdown = &Slowdown{AverageResponse: Span(10*time.Second + time.Millisecond), Duration: Span(time.Hour + time.Second)}
			},
			want: []string{"Art 5(b) of Regulation (EU) 2024/2690: average response time of 10.001 s to DNS requests for 1 h 1 s (> 10 s for > 1 h)"},
		},
		{
			name: "5(b) slow for exactly 1 h", entity: DNSServiceProvider, outcome: OutcomeNotSignificant,
			change: func(in *EntityImpact) {
				in.Slowdown = &Slowdown{AverageResponse: Span(time.Minute), Duration: Span(time.Hour)}
			},
			want: []string{"Art 5(b) of Regulation (EU) 2024/2690: average response time of 1 min to DNS requests for 1 h (the criterion is > 10 s for > 1 h)"},
		},
		{
			name: "5(b) 10 s is not slow enough", entity: DNSServiceProvider, outcome: OutcomeNotSignificant,
			change: func(in *EntityImpact) {
				in.Slowdown = &Slowdown{AverageResponse: Span(10 * time.Second), Duration: Span(5 * time.Hour)}
			},
			want: []string{"Art 5(b)"},
		},
		{
			name: "5(c) data compromised, not by misconfiguration", entity: DNSServiceProvider, outcome: OutcomeSignificant,
			change: func(in *EntityImpact) { in.ICACompromised = Known(true) },
			want:   []string{"Art 5(c) of Regulation (EU) 2024/2690: the integrity, confidentiality or authenticity of data related to the provision of the authoritative domain name resolution service is compromised, not through misconfiguration"},
		},
		{
			name: "5(c) misconfiguration within the exception", entity: DNSServiceProvider, outcome: OutcomeNotSignificant,
			change: func(in *EntityImpact) {
				in.ICACompromised, in.ICAMisconfiguration = Known(true), Known(true)
				in.DomainNamesAffected, in.DomainNamesManaged = Known[int64](999), Known[int64](100_000)
			},
			want: []string{"Art 5(c) of Regulation (EU) 2024/2690: misconfiguration affecting 999 of 100 000 domain names managed: fewer than 1 000 and no more than 1 %, which Art 5(c) excepts"},
		},
		{
			name: "5(c) misconfiguration of 1 000 domain names", entity: DNSServiceProvider, outcome: OutcomeSignificant,
			change: func(in *EntityImpact) {
				in.ICACompromised, in.ICAMisconfiguration = Known(true), Known(true)
				in.DomainNamesAffected, in.DomainNamesManaged = Known[int64](1_000), Known[int64](10_000_000)
			},
			want: []string{"misconfiguration affecting 1 000 domain names, not fewer than 1 000, so the exception does not apply"},
		},
		{
			name: "5(c) misconfiguration of more than 1 %", entity: DNSServiceProvider, outcome: OutcomeSignificant,
			change: func(in *EntityImpact) {
				in.ICACompromised, in.ICAMisconfiguration = Known(true), Known(true)
				in.DomainNamesAffected, in.DomainNamesManaged = Known[int64](11), Known[int64](1_000)
			},
			want: []string{"misconfiguration affecting 11 of 1 000 domain names managed, more than 1 %, so the exception does not apply"},
		},
		{
			name: "5(c) misconfiguration of exactly 1 %", entity: DNSServiceProvider, outcome: OutcomeNotSignificant,
			change: func(in *EntityImpact) {
				in.ICACompromised, in.ICAMisconfiguration = Known(true), Known(true)
				in.DomainNamesAffected, in.DomainNamesManaged = Known[int64](10), Known[int64](1_000)
			},
			want: []string{"which Art 5(c) excepts"},
		},

		// Art 6: TLD name registries.
		{
			name: "6(a) completely unavailable, however briefly", entity: TLDNameRegistry, outcome: OutcomeSignificant,
			change: func(in *EntityImpact) { in.CompletelyUnavailableFor = Known(Span(time.Second)) },
			want:   []string{"Art 6(a) of Regulation (EU) 2024/2690: authoritative domain name resolution service completely unavailable for 1 s (any duration counts)"},
		},
		{
			name: "6(a) never completely unavailable", entity: TLDNameRegistry, outcome: OutcomeNotSignificant,
			change: func(in *EntityImpact) {},
			want:   []string{"Art 6(a) of Regulation (EU) 2024/2690: authoritative domain name resolution service never completely unavailable"},
		},
		{
			name: "6(b) slow", entity: TLDNameRegistry, outcome: OutcomeSignificant,
			change: func(in *EntityImpact) {
				in.Slowdown = &Slowdown{AverageResponse: Span(11 * time.Second), Duration: Span(2 * time.Hour)}
			},
			want: []string{"Art 6(b)"},
		},
		{
			name: "6(c) TLD data compromised", entity: TLDNameRegistry, outcome: OutcomeSignificant,
			change: func(in *EntityImpact) { in.ICACompromised = Known(true) },
			want:   []string{"Art 6(c) of Regulation (EU) 2024/2690: the integrity, confidentiality or authenticity of data related to the technical operation of the TLD is compromised"},
		},

		// Art 7: cloud computing; the brief's own example.
		{
			name: "7(a) unavailable for 45 min", entity: CloudComputingServiceProvider, outcome: OutcomeSignificant,
			change: func(in *EntityImpact) { in.CompletelyUnavailableFor = Known(Span(45 * time.Minute)) },
			want:   []string{"Art 7(a) of Regulation (EU) 2024/2690: cloud computing service completely unavailable for 45 min (> 30 min)"},
		},
		{
			name: "7(a) unavailable for 30 min", entity: CloudComputingServiceProvider, outcome: OutcomeNotSignificant,
			change: func(in *EntityImpact) { in.CompletelyUnavailableFor = Known(Span(30 * time.Minute)) },
			want:   []string{"Art 7(a) of Regulation (EU) 2024/2690: cloud computing service completely unavailable for 30 min (not more than 30 min)"},
		},
		{
			name: "7(b) limited for more than 1 000 000 users for more than 1 h", entity: CloudComputingServiceProvider, outcome: OutcomeSignificant,
			change: func(in *EntityImpact) {
				in.LimitedAvailabilityUsers, in.LimitedAvailabilityFor = Known[int64](1_000_001), Known(Span(time.Hour+time.Second))
			},
			want: []string{"Art 7(b) of Regulation (EU) 2024/2690: availability of the cloud computing service limited for 1 000 001 users, more than 1 000 000 (the threshold is 5 % of users in the Union or 1 000 000 users, whichever number is smaller); limited availability for 1 h 1 s (> 1 h)"},
		},
		{
			name: "7(b) 1 000 000 is smaller than 5 % and not exceeded", entity: CloudComputingServiceProvider, outcome: OutcomeNotSignificant,
			change: func(in *EntityImpact) {
				in.LimitedAvailabilityUsers, in.LimitedAvailabilityFor = Known[int64](1_000_000), Known(Span(5*time.Hour))
			},
			want: []string{"availability of the cloud computing service limited for 1 000 000 users, not more than 1 000 000, the smaller threshold (5 % of 100 000 000 users in the Union is more)"},
		},
		{
			name: "7(b) enough users, but only for 1 h", entity: CloudComputingServiceProvider, outcome: OutcomeNotSignificant,
			change: func(in *EntityImpact) {
				in.LimitedAvailabilityUsers, in.LimitedAvailabilityFor = Known[int64](2_000_000), Known(Span(time.Hour))
			},
			want: []string{"limited availability for 1 h (not more than 1 h)"},
		},
		{
			name: "7(b) 5 % is smaller and exceeded", entity: CloudComputingServiceProvider, outcome: OutcomeSignificant,
			change: func(in *EntityImpact) {
				in.Users = Known[int64](10_000)
				in.LimitedAvailabilityUsers, in.LimitedAvailabilityFor = Known[int64](501), Known(Span(2*time.Hour))
			},
			want: []string{"availability of the cloud computing service limited for 501 of 10 000 users in the Union, more than 5 % of them, which is smaller than 1 000 000 users"},
		},
		{
			name: "7(b) 5 % is smaller and reached only", entity: CloudComputingServiceProvider, outcome: OutcomeNotSignificant,
			change: func(in *EntityImpact) {
				in.Users = Known[int64](10_000)
				in.LimitedAvailabilityUsers, in.LimitedAvailabilityFor = Known[int64](500), Known(Span(2*time.Hour))
			},
			want: []string{"limited for 500 of 10 000 users in the Union, not more than 5 % of them, the smaller threshold"},
		},
		{
			name: "7(b) users in the Union unknown", entity: CloudComputingServiceProvider, outcome: OutcomeNotEnoughInformation,
			change: func(in *EntityImpact) {
				in.Users = nil
				in.LimitedAvailabilityUsers, in.LimitedAvailabilityFor = Known[int64](900_000), Known(Span(2*time.Hour))
			},
			want: []string{"Art 7(b) of Regulation (EU) 2024/2690: not enough information: availability of the cloud computing service limited for 900 000 users, not more than 1 000 000; the number of users in the Union is needed to check 5 %"},
		},
		{
			name: "7(c) compromise by a suspectedly malicious action", entity: CloudComputingServiceProvider, outcome: OutcomeSignificant,
			change: func(in *EntityImpact) { in.ICACompromised, in.ICASuspectedMalicious = Known(true), Known(true) },
			want:   []string{"Art 7(c) of Regulation (EU) 2024/2690: the integrity, confidentiality or authenticity of data related to the provision of the cloud computing service is compromised as a result of a suspectedly malicious action"},
		},
		{
			name: "7(c) compromise, not malicious, few users", entity: CloudComputingServiceProvider, outcome: OutcomeNotSignificant,
			change: func(in *EntityImpact) { in.ICACompromised, in.ICAUsers = Known(true), Known[int64](10) },
			want:   []string{"Art 7(c) of Regulation (EU) 2024/2690: the integrity, confidentiality or authenticity of data related to the provision of the cloud computing service is compromised, but not as a result of a suspectedly malicious action"},
		},
		{
			name: "7(d) compromise with impact on more than 1 000 000 users", entity: CloudComputingServiceProvider, outcome: OutcomeSignificant,
			change: func(in *EntityImpact) { in.ICACompromised, in.ICAUsers = Known(true), Known[int64](1_000_001) },
			want:   []string{"Art 7(d) of Regulation (EU) 2024/2690: integrity, confidentiality or authenticity of data related to the provision of the cloud computing service compromised for 1 000 001 users, more than 1 000 000"},
		},
		{
			name: "7(d) compromise with impact on 1 000 000 users", entity: CloudComputingServiceProvider, outcome: OutcomeNotSignificant,
			change: func(in *EntityImpact) { in.ICACompromised, in.ICAUsers = Known(true), Known[int64](1_000_000) },
			want:   []string{"Art 7(d)"},
		},
		{
			name: "7(d) 5 % is smaller", entity: CloudComputingServiceProvider, outcome: OutcomeSignificant,
			change: func(in *EntityImpact) {
				in.Users = Known[int64](20_000)
				in.ICACompromised, in.ICAUsers = Known(true), Known[int64](1_001)
			},
			want: []string{"compromised for 1 001 of 20 000 users in the Union, more than 5 % of them"},
		},

		// Art 8: data centres.
		{
			name: "8(a) completely unavailable", entity: DataCentreServiceProvider, outcome: OutcomeSignificant,
			change: func(in *EntityImpact) { in.CompletelyUnavailableFor = Known(Span(time.Minute)) },
			want:   []string{"Art 8(a) of Regulation (EU) 2024/2690: data centre service of a data centre operated by the provider completely unavailable for 1 min (any duration counts)"},
		},
		{
			name: "8(b) limited for more than 1 h", entity: DataCentreServiceProvider, outcome: OutcomeSignificant,
			change: func(in *EntityImpact) { in.LimitedAvailabilityFor = Known(Span(time.Hour + time.Minute)) },
			want:   []string{"Art 8(b) of Regulation (EU) 2024/2690: availability of a data centre service limited for 1 h 1 min (> 1 h)"},
		},
		{
			name: "8(b) limited for 1 h", entity: DataCentreServiceProvider, outcome: OutcomeNotSignificant,
			change: func(in *EntityImpact) { in.LimitedAvailabilityFor = Known(Span(time.Hour)) },
			want:   []string{"Art 8(b) of Regulation (EU) 2024/2690: availability of a data centre service limited for 1 h (not more than 1 h)"},
		},
		{
			name: "8(c) malicious compromise", entity: DataCentreServiceProvider, outcome: OutcomeSignificant,
			change: func(in *EntityImpact) { in.ICACompromised, in.ICASuspectedMalicious = Known(true), Known(true) },
			want:   []string{"Art 8(c)"},
		},
		{
			name: "8(d) physical access", entity: DataCentreServiceProvider, outcome: OutcomeSignificant,
			change: func(in *EntityImpact) { in.PhysicalAccessCompromised = Known(true) },
			want:   []string{"Art 8(d) of Regulation (EU) 2024/2690: physical access to a data centre operated by the provider is compromised"},
		},

		// Arts 9 and 10 share Art 7's structure.
		{
			name: "9(a) CDN unavailable", entity: ContentDeliveryNetworkProvider, outcome: OutcomeSignificant,
			change: func(in *EntityImpact) { in.CompletelyUnavailableFor = Known(Span(31 * time.Minute)) },
			want:   []string{"Art 9(a) of Regulation (EU) 2024/2690: content delivery network completely unavailable for 31 min (> 30 min)"},
		},
		{
			name: "10(b) MSSP limited", entity: ManagedSecurityServiceProvider, outcome: OutcomeSignificant,
			change: func(in *EntityImpact) {
				in.LimitedAvailabilityUsers, in.LimitedAvailabilityFor = Known[int64](2_000_000), Known(Span(2*time.Hour))
			},
			want: []string{"Art 10(b) of Regulation (EU) 2024/2690: availability of the managed security service limited"},
		},
		{
			name: "10(d) MSP compromise on many users", entity: ManagedServiceProvider, outcome: OutcomeSignificant,
			change: func(in *EntityImpact) { in.ICACompromised, in.ICAUsers = Known(true), Known[int64](3_000_000) },
			want:   []string{"Art 10(d) of Regulation (EU) 2024/2690: integrity, confidentiality or authenticity of data related to the provision of the managed service compromised"},
		},

		// Art 11: online marketplaces; counts of users, no durations.
		{
			name: "11(a) unavailable for more than 1 000 000 users", entity: OnlineMarketplaceProvider, outcome: OutcomeSignificant,
			change: func(in *EntityImpact) { in.CompletelyUnavailableUsers = Known[int64](1_000_001) },
			want:   []string{"Art 11(a) of Regulation (EU) 2024/2690: online marketplace completely unavailable for 1 000 001 users, more than 1 000 000"},
		},
		{
			name: "11(a) unavailable for 1 000 000 users", entity: OnlineMarketplaceProvider, outcome: OutcomeNotSignificant,
			change: func(in *EntityImpact) { in.CompletelyUnavailableUsers = Known[int64](1_000_000) },
			want:   []string{"Art 11(a)"},
		},
		{
			name: "11(a) 5 % is smaller", entity: OnlineMarketplaceProvider, outcome: OutcomeSignificant,
			change: func(in *EntityImpact) {
				in.Users = Known[int64](1_000_000)
				in.CompletelyUnavailableUsers = Known[int64](50_001)
			},
			want: []string{"online marketplace completely unavailable for 50 001 of 1 000 000 users in the Union, more than 5 % of them"},
		},
		{
			name: "11(b) limited for more than 5 %", entity: OnlineMarketplaceProvider, outcome: OutcomeSignificant,
			change: func(in *EntityImpact) {
				in.Users = Known[int64](1_000_000)
				in.LimitedAvailabilityUsers = Known[int64](50_001)
			},
			want: []string{"Art 11(b) of Regulation (EU) 2024/2690: availability of the online marketplace limited for 50 001 of 1 000 000 users"},
		},
		{
			name: "11(b) limited for exactly 5 %", entity: OnlineMarketplaceProvider, outcome: OutcomeNotSignificant,
			change: func(in *EntityImpact) {
				in.Users = Known[int64](1_000_000)
				in.LimitedAvailabilityUsers = Known[int64](50_000)
			},
			want: []string{"Art 11(b)"},
		},
		{
			name: "11(c) malicious compromise", entity: OnlineMarketplaceProvider, outcome: OutcomeSignificant,
			change: func(in *EntityImpact) { in.ICACompromised, in.ICASuspectedMalicious = Known(true), Known(true) },
			want:   []string{"Art 11(c)"},
		},

		// Arts 12 and 13 follow Art 11 (unverified pattern).
		{
			name: "12(a) search engine unavailable", entity: OnlineSearchEngineProvider, outcome: OutcomeSignificant,
			change: func(in *EntityImpact) { in.CompletelyUnavailableUsers = Known[int64](2_000_000) },
			want:   []string{"Art 12(a) of Regulation (EU) 2024/2690: online search engine completely unavailable for 2 000 000 users, more than 1 000 000 (the threshold is 5 % of users in the Union or 1 000 000 users, whichever number is smaller) (unverified against the OJ text)"},
		},
		{
			name: "13(d) social network compromise below the threshold", entity: SocialNetworkingPlatformProvider, outcome: OutcomeNotSignificant,
			change: func(in *EntityImpact) { in.ICACompromised, in.ICAUsers = Known(true), Known[int64](999_999) },
			want:   []string{"Art 13(d) of Regulation (EU) 2024/2690: integrity, confidentiality or authenticity of data related to the provision of the social networking services platform compromised for 999 999 users, not more than 1 000 000", "(unverified against the OJ text)"},
		},

		// Art 14: trust service providers (wording unverified).
		{
			name: "14(a) unavailable for more than 20 min", entity: TrustServiceProvider, outcome: OutcomeSignificant,
			change: func(in *EntityImpact) { in.CompletelyUnavailableFor = Known(Span(20*time.Minute + time.Second)) },
			want:   []string{"Art 14(a) of Regulation (EU) 2024/2690: trust service completely unavailable for 20 min 1 s (> 20 min) (unverified against the OJ text)"},
		},
		{
			name: "14(a) unavailable for 20 min", entity: TrustServiceProvider, outcome: OutcomeNotSignificant,
			change: func(in *EntityImpact) { in.CompletelyUnavailableFor = Known(Span(20 * time.Minute)) },
			want:   []string{"Art 14(a) of Regulation (EU) 2024/2690: trust service completely unavailable for 20 min (not more than 20 min) (unverified against the OJ text)"},
		},
		{
			name: "14(b) unavailable more than 1 h in a calendar week", entity: TrustServiceProvider, outcome: OutcomeSignificant,
			change: func(in *EntityImpact) { in.UnavailableInWeek = Known(Span(61 * time.Minute)) },
			want:   []string{"Art 14(b) of Regulation (EU) 2024/2690: trust service unavailable to users or relying parties in a calendar week for 1 h 1 min (> 1 h)"},
		},
		{
			name: "14(b) unavailable 1 h in a calendar week", entity: TrustServiceProvider, outcome: OutcomeNotSignificant,
			change: func(in *EntityImpact) { in.UnavailableInWeek = Known(Span(time.Hour)) },
			want:   []string{"Art 14(b)"},
		},
		{
			name: "14(c) limited for more than 200 000", entity: TrustServiceProvider, outcome: OutcomeSignificant,
			change: func(in *EntityImpact) { in.LimitedAvailabilityUsers = Known[int64](200_001) },
			want:   []string{"Art 14(c) of Regulation (EU) 2024/2690: availability of the trust service limited for 200 001 users or relying parties, more than 200 000 (the threshold is 1 % of users or relying parties in the Union or 200 000 users or relying parties, whichever number is smaller)"},
		},
		{
			name: "14(c) limited for 200 000", entity: TrustServiceProvider, outcome: OutcomeNotSignificant,
			change: func(in *EntityImpact) { in.LimitedAvailabilityUsers = Known[int64](200_000) },
			want:   []string{"Art 14(c)"},
		},
		{
			name: "14(c) 1 % is smaller", entity: TrustServiceProvider, outcome: OutcomeSignificant,
			change: func(in *EntityImpact) {
				in.Users = Known[int64](10_000)
				in.LimitedAvailabilityUsers = Known[int64](101)
			},
			want: []string{"limited for 101 of 10 000 users or relying parties in the Union, more than 1 % of them"},
		},
		{
			name: "14(c) 1 % is smaller and reached only", entity: TrustServiceProvider, outcome: OutcomeNotSignificant,
			change: func(in *EntityImpact) {
				in.Users = Known[int64](10_000)
				in.LimitedAvailabilityUsers = Known[int64](100)
			},
			want: []string{"limited for 100 of 10 000 users or relying parties in the Union, not more than 1 % of them"},
		},
		{
			name: "14(d) physical access", entity: TrustServiceProvider, outcome: OutcomeSignificant,
			change: func(in *EntityImpact) { in.PhysicalAccessCompromised = Known(true) },
			want:   []string{"Art 14(d) of Regulation (EU) 2024/2690: physical access to an area holding network and information systems, restricted to trusted personnel, is compromised (unverified against the OJ text)"},
		},
		{
			name: "14(e) compromise on more than 100", entity: TrustServiceProvider, outcome: OutcomeSignificant,
			change: func(in *EntityImpact) { in.ICACompromised, in.ICAUsers = Known(true), Known[int64](101) },
			want:   []string{"Art 14(e) of Regulation (EU) 2024/2690: integrity, confidentiality or authenticity of data related to the provision of the trust service compromised for 101 users or relying parties, more than 100"},
		},
		{
			name: "14(e) compromise on 100", entity: TrustServiceProvider, outcome: OutcomeNotSignificant,
			change: func(in *EntityImpact) { in.ICACompromised, in.ICAUsers = Known(true), Known[int64](100) },
			want:   []string{"Art 14(e)"},
		},
		{
			name: "14(e) 0.1 % is smaller", entity: TrustServiceProvider, outcome: OutcomeSignificant,
			change: func(in *EntityImpact) {
				in.Users = Known[int64](50_000)
				in.ICACompromised, in.ICAUsers = Known(true), Known[int64](51)
			},
			want: []string{"compromised for 51 of 50 000 users or relying parties in the Union, more than 0.1 % of them"},
		},
		{
			name: "14(e) 0.1 % is smaller and reached only", entity: TrustServiceProvider, outcome: OutcomeNotSignificant,
			change: func(in *EntityImpact) {
				in.Users = Known[int64](50_000)
				in.ICACompromised, in.ICAUsers = Known(true), Known[int64](50)
			},
			want: []string{"compromised for 50 of 50 000 users or relying parties in the Union, not more than 0.1 % of them"},
		},

		// Art 3(2): scheduled interruptions.
		{
			name: "3(2) a scheduled interruption is not significant", entity: CloudComputingServiceProvider, outcome: OutcomeNotSignificant,
			change: func(in *EntityImpact) {
				in.CompletelyUnavailableFor = Known(Span(4 * time.Hour))
				in.ScheduledInterruption = true
			},
			want: []string{"Art 3(2) of Regulation (EU) 2024/2690: the unavailability or limited availability is a scheduled interruption"},
		},
		{
			name: "3(2) does not excuse a compromise", entity: CloudComputingServiceProvider, outcome: OutcomeSignificant,
			change: func(in *EntityImpact) {
				in.ScheduledInterruption = true
				in.ICACompromised, in.ICASuspectedMalicious = Known(true), Known(true)
			},
			want: []string{"Art 7(c)"},
		},

		// Missing information.
		{
			name: "nothing known", entity: CloudComputingServiceProvider, outcome: OutcomeNotEnoughInformation,
			change: func(in *EntityImpact) { *in = EntityImpact{Entity: CloudComputingServiceProvider} },
			want: []string{
				"Art 3(1)(a) of Regulation (EU) 2024/2690: not enough information: the direct financial loss for the entity is not given",
				"Art 7(a) of Regulation (EU) 2024/2690: not enough information: cloud computing service completely unavailable: duration not given",
				"Art 3(1)(f) and Art 4",
			},
		},
		{
			name: "a negative figure is not information", entity: CloudComputingServiceProvider, outcome: OutcomeNotEnoughInformation,
			change: func(in *EntityImpact) { in.CompletelyUnavailableFor = Known(Span(-time.Minute)) },
			want:   []string{"Art 7(a) of Regulation (EU) 2024/2690: not enough information: the duration given for cloud computing service completely unavailable (-1 min) is negative"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := quiet(tc.entity)
			tc.change(&in)
			s := Regulation2024_2690(in)
			if s.Outcome != tc.outcome || s.Significant != (tc.outcome == OutcomeSignificant) {
				t.Errorf("got %s (significant %v), want %s:\n%s", s.Outcome, s.Significant, tc.outcome, reasonTexts(s))
			}
			checkReasons(t, s, tc.want)
			art, _ := tc.entity.Article()
			for _, r := range s.Reasons {
				if !strings.Contains(r.Ref, "Regulation (EU) 2024/2690") || !strings.HasPrefix(r.Text, "Art ") {
					t.Errorf("reason does not cite its article: %+v", r)
				}
				specific := strings.HasPrefix(r.Ref, "Art "+itoa(art)+"(")
				if marked := strings.HasSuffix(r.Text, unverified); marked != (specific && art >= 12) {
					t.Errorf("reason marked unverified %v, want %v: %s", marked, specific && art >= 12, r.Text)
				}
			}
		})
	}
}

func reasonTexts(s Suggestion) string {
	var b strings.Builder
	for _, r := range s.Reasons {
		b.WriteString("  " + r.Text + "\n")
	}
	return b.String()
}

func TestRegulation2024_2690NotCovered(t *testing.T) {
	for _, e := range []EntityType{"hospital", "electricity-undertaking", "Cloud-Computing-Service-Provider"} {
		in := quiet(e)
		in.Death = Known(true) // even so: nothing is computed
		s := Regulation2024_2690(in)
		if s.Outcome != OutcomeNotCovered || s.Significant || len(s.Reasons) != 1 {
			t.Fatalf("%s: %+v", e, s)
		}
		r := s.Reasons[0]
		for _, w := range []string{`entities of type "` + string(e) + `"`, "national thresholds apply under NIS2 art. 23(3)", "nothing is computed"} {
			if !strings.Contains(r.Text, w) {
				t.Errorf("%s: reason lacks %q: %s", e, w, r.Text)
			}
		}
		if !strings.Contains(r.Ref, "NIS2 art. 23(3)") {
			t.Errorf("ref %q", r.Ref)
		}
	}
	s := Regulation2024_2690(EntityImpact{})
	if s.Outcome != OutcomeNotEnoughInformation || !strings.Contains(s.Reasons[0].Text, "the entity type is not given") {
		t.Errorf("no entity type: %+v", s)
	}
}

func TestEntityTypes(t *testing.T) {
	seen := map[int]int{}
	for _, e := range EntityTypes() {
		art, ok := e.Article()
		if !ok || art < 5 || art > 14 {
			t.Errorf("%s: article %d %v", e, art, ok)
		}
		seen[art]++
		if e.service() == "service" {
			t.Errorf("%s has no service name", e)
		}
	}
	for art := 5; art <= 14; art++ {
		want := 1
		if art == 10 {
			want = 2 // MSPs and MSSPs
		}
		if seen[art] != want {
			t.Errorf("Art %d: %d entity types, want %d", art, seen[art], want)
		}
	}
	if _, ok := EntityType("bank").Article(); ok {
		t.Error("banks are not covered by Regulation (EU) 2024/2690")
	}
}

func TestFormat(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{formatCount(0), "0"},
		{formatCount(999), "999"},
		{formatCount(1000), "1 000"},
		{formatCount(1_000_000), "1 000 000"},
		{formatCount(-1234567), "-1 234 567"},
		{formatEUR(50_000_000), "EUR 500 000"},
		{formatEUR(50_000_001), "EUR 500 000.01"},
		{formatEUR(-150), "EUR -1.50"},
		{formatDuration(0), "0 s"},
		{formatDuration(45 * time.Minute), "45 min"},
		{formatDuration(90 * time.Minute), "1 h 30 min"},
		{formatDuration(30*time.Minute + time.Second), "30 min 1 s"},
		{formatDuration(1500 * time.Millisecond), "1.5 s"},
		{formatDuration(26 * time.Hour), "26 h"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
	// fracFloor is exact where n × p would overflow.
	for _, tc := range []struct{ n, p, q, want int64 }{
		{10_000, 5, 100, 500},
		{10_001, 5, 100, 500},
		{9_223_372_036_854_775_807, 5, 100, 461_168_601_842_738_790},
		{4_000_000_00, 1, 20, 20_000_000},
		{999, 1, 1000, 0},
	} {
		if got := fracFloor(tc.n, tc.p, tc.q); got != tc.want {
			t.Errorf("fracFloor(%d, %d, %d) = %d, want %d", tc.n, tc.p, tc.q, got, tc.want)
		}
	}
}
