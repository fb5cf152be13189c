package severity_test

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/eucyber/blueprint/internal/severity"
)

func ExampleTaxonomy_Score() {
	tax, err := severity.Default()
	if err != nil {
		panic(err)
	}
	r, err := tax.Score(severity.Assessment{
		"service-delivery": 3, "affected-entities": 1, "other-services": 0, "damage": 0,
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(r.Score, r.Level, r.Taxonomy)
	fmt.Println(r.Explanation)
	// Output:
	// 38 yellow blueprint-default@1.0
	// Score 38 (yellow, large impact): service delivery 3/3 (severe) contributes 30 points; affected entities 1/3 (few) contributes 8.3 points; other services and infrastructure 0/3 (none) contributes 0 points; damage 0/3 (none) contributes 0 points.
}

func ExampleTaxonomy_Score_floor() {
	tax, err := severity.Default()
	if err != nil {
		panic(err)
	}
	r, err := tax.Score(severity.Assessment{
		"service-delivery": 0, "affected-entities": 0, "other-services": 0, "damage": 3,
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(r.Explanation)
	// Output:
	// Score 25 (yellow, large impact): service delivery 0/3 (none) contributes 0 points; affected entities 0/3 (none) contributes 0 points; other services and infrastructure 0/3 (none) contributes 0 points; damage 3/3 (severe) contributes 25 points. The score alone gives green; a dimension at its maximum raises the result to at least yellow (damage 3/3).
}

func ExampleSuggestSignificant() {
	tax, err := severity.Default()
	if err != nil {
		panic(err)
	}
	in := tax.SignificanceInput(severity.Assessment{
		"service-delivery": 2, "affected-entities": 1, "other-services": 0, "damage": 1,
	})
	in.OtherPersonsAffected = severity.Known(false)
	s := severity.SuggestSignificant(in)
	fmt.Println(s.Outcome)
	for _, r := range s.Reasons {
		fmt.Println(r.Text)
	}
	// Output:
	// significant
	// §7(b)(a): service delivery at level 2 (major), at or above level 2: a severe operational disruption of the services
}

func Example_regulation2024_2690() {
	s := severity.Regulation2024_2690(severity.EntityImpact{
		Entity:                   severity.CloudComputingServiceProvider,
		CompletelyUnavailableFor: severity.Known(severity.Span(45 * time.Minute)),
	})
	fmt.Println(s.Outcome)
	for _, r := range s.Reasons {
		fmt.Println(r.Text)
	}
	// Output:
	// significant
	// Art 7(a) of Regulation (EU) 2024/2690: cloud computing service completely unavailable for 45 min (> 30 min)
}

// An entity impact as a report gives it in JSON: durations are Go duration
// strings, money is in euro cents.
func ExampleEntityImpact_json() {
	var in severity.EntityImpact
	err := json.Unmarshal([]byte(`{
		"entity": "cloud-computing-service-provider",
		"direct_financial_loss_cents": 12000000,
		"completely_unavailable_for": "5h"
	}`), &in)
	if err == nil {
		err = in.Validate()
	}
	if err != nil {
		panic(err)
	}
	s := severity.Regulation2024_2690(in)
	fmt.Println(s.Outcome, *in.CompletelyUnavailableFor)
	fmt.Println(s.Reasons[0].Text)
	// Output:
	// significant 5h0m0s
	// Art 7(a) of Regulation (EU) 2024/2690: cloud computing service completely unavailable for 5 h (> 30 min)
}
