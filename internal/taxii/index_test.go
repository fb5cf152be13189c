package taxii_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/eucyber/blueprint/internal/intel"
	"github.com/eucyber/blueprint/internal/stix"
	"github.com/eucyber/blueprint/internal/store/sqlite"
	"github.com/eucyber/blueprint/internal/taxii"
)

var (
	nl = intel.Actor{User: "u-nl", Organisation: "nl-ncsc"}
	be = intel.Actor{User: "u-be", Organisation: "be-ccb"}
)

type fixture struct {
	t     *testing.T
	intel *intel.Service
	index *taxii.Index
	cs    []taxii.Collection
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	s, err := sqlite.Open(t.Context(), t.TempDir()+"/t.db", time.Now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	cs := taxii.Collections([]taxii.Organisation{{ID: "nl-ncsc", Name: "NCSC-NL", Audiences: []string{"csirts-network", "csirts-network/members"}}})
	return &fixture{t: t, intel: &intel.Service{Store: s, Now: time.Now}, index: &taxii.Index{Store: s}, cs: cs}
}

func (f *fixture) collection(alias string) taxii.Collection {
	c, ok := taxii.Find(f.cs, alias)
	if !ok {
		f.t.Fatalf("no collection %s", alias)
	}
	return c
}

// add shares indicator n at a version into a collection, as who.
func (f *fixture) add(who intel.Actor, c taxii.Collection, n int, modified, typ string) {
	f.t.Helper()
	obj := map[string]any{"type": typ, "spec_version": "2.1", "id": fmt.Sprintf("%s--00000000-0000-4000-8000-%012d", typ, n), "name": "x",
		"created": "2026-11-30T10:00:00.000Z", "modified": modified, "object_marking_refs": []string{stix.MarkingID(c.Marking.TLP)}}
	if typ == "indicator" {
		obj["pattern"], obj["pattern_type"], obj["valid_from"] = "[ipv4-addr:value = '198.51.100.7']", "stix", "2026-11-30T10:00:00Z"
	}
	b, _ := json.Marshal(map[string]any{"type": "bundle", "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d", "objects": []any{obj}})
	read, err := stix.ReadBundle(b)
	if err != nil || len(read.Objects) != 1 {
		f.t.Fatalf("%v %+v", err, read.Refused)
	}
	if _, err := f.intel.Add(f.t.Context(), who, read.Objects[0], c.Marking); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) query(c taxii.Collection, q taxii.Query, after int64, only string) taxii.Page {
	f.t.Helper()
	if err := f.index.Refresh(f.t.Context()); err != nil {
		f.t.Fatal(err)
	}
	if q.Limit == 0 {
		q.Limit = taxii.DefaultLimit
	}
	return f.index.Query(c, q, after, only)
}

func ids(p taxii.Page) []string {
	var out []string
	for _, e := range p.Entries {
		out = append(out, e.ID[len(e.ID)-2:]+"@"+e.Version[11:13])
	}
	return out
}

func TestCollectionsAreStableAndV4(t *testing.T) {
	f := newFixture(t)
	v4 := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	seen := map[string]bool{}
	for _, c := range f.cs {
		if !v4.MatchString(c.ID) || seen[c.ID] {
			t.Errorf("%s: id %s", c.Alias, c.ID)
		}
		seen[c.ID] = true
		if err := c.Marking.Validate(); err != nil {
			t.Errorf("%s: %v", c.Alias, err)
		}
	}
	for _, alias := range []string{"public-clear", "community-green", "nl-ncsc-amber", "nl-ncsc-amber-strict", "csirts-network-green", "csirts-network-amber", "csirts-network-members-amber"} {
		c := f.collection(alias)
		if again, _ := taxii.Find(taxii.Collections([]taxii.Organisation{{ID: "nl-ncsc", Audiences: []string{"csirts-network", "csirts-network/members"}}}), c.ID); again.Alias != alias {
			t.Errorf("%s is not found by its id", alias)
		}
	}
}

// TestIndexOrdersFiltersAndPages: date_added order, strictly increasing;
// the last version by default; first, all and exact versions; type and id
// filters; pages after a position; withdrawn versions gone; one copy of a
// version per collection.
func TestIndexOrdersFiltersAndPages(t *testing.T) {
	f := newFixture(t)
	c := f.collection("community-green")
	f.add(nl, c, 1, "2026-11-30T10:00:00.000Z", "indicator")
	f.add(nl, c, 2, "2026-11-30T10:00:00.000Z", "indicator")
	f.add(nl, c, 1, "2026-11-30T12:00:00.000Z", "indicator") // a newer version of 01
	f.add(be, c, 2, "2026-11-30T10:00:00.000Z", "indicator") // BE's copy of 02's version: the same to readers
	f.add(nl, c, 3, "2026-11-30T10:00:00.000Z", "vulnerability")
	f.add(nl, f.collection("nl-ncsc-amber"), 4, "2026-11-30T10:00:00.000Z", "indicator") // another collection

	all := f.query(c, taxii.Query{Versions: []string{"all"}}, 0, "")
	if got := fmt.Sprint(ids(all)); got != "[01@10 02@10 01@12 03@10]" {
		t.Errorf("all versions: %s", got)
	}
	for i := 1; i < len(all.Entries); i++ {
		if !all.Entries[i].DateAdded.After(all.Entries[i-1].DateAdded) {
			t.Errorf("date_added does not increase at %d", i)
		}
	}
	for _, tt := range []struct {
		q    taxii.Query
		only string
		want string
	}{
		{taxii.Query{}, "", "[02@10 01@12 03@10]"},
		{taxii.Query{Versions: []string{"first"}}, "", "[01@10 02@10 03@10]"},
		{taxii.Query{Versions: []string{"first", "last"}}, "", "[01@10 02@10 01@12 03@10]"},
		{taxii.Query{Versions: []string{"2026-11-30T12:00:00Z"}}, "", "[01@12]"},
		{taxii.Query{Types: []string{"vulnerability"}}, "", "[03@10]"},
		{taxii.Query{IDs: []string{"indicator--00000000-0000-4000-8000-000000000002"}}, "", "[02@10]"},
		{taxii.Query{SpecVersions: []string{"2.0"}}, "", "[]"},
		{taxii.Query{AddedAfter: all.Entries[1].DateAdded}, "", "[01@12 03@10]"},
		{taxii.Query{Versions: []string{"all"}}, "indicator--00000000-0000-4000-8000-000000000001", "[01@10 01@12]"},
	} {
		if got := fmt.Sprint(ids(f.query(c, tt.q, 0, tt.only))); got != tt.want {
			t.Errorf("%+v %s: %s, want %s", tt.q, tt.only, got, tt.want)
		}
	}
	// Pages of one: more while more remain; the next page starts after the
	// last entry's position.
	var got []string
	after := int64(0)
	for range 5 {
		p := f.query(c, taxii.Query{Limit: 1, Versions: []string{"all"}}, after, "")
		got = append(got, ids(p)...)
		if !p.More {
			break
		}
		after = p.Entries[0].Position
	}
	if fmt.Sprint(got) != "[01@10 02@10 01@12 03@10]" {
		t.Errorf("paged: %v", got)
	}
	// Withdrawing 01's newer version makes the older the last one.
	if err := f.intel.Withdraw(t.Context(), nl, "indicator--00000000-0000-4000-8000-000000000001", []string{"2026-11-30T12:00:00.000Z"}, c.Marking); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(ids(f.query(c, taxii.Query{}, 0, ""))); got != "[01@10 02@10 03@10]" {
		t.Errorf("after withdrawing 01@12: %s", got)
	}
	if got := fmt.Sprint(ids(f.query(f.collection("nl-ncsc-amber"), taxii.Query{}, 0, ""))); got != "[04@10]" {
		t.Errorf("NL's collection: %s", got)
	}
}
