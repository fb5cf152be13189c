package taxii

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/eucyber/blueprint/internal/intel"
	"github.com/eucyber/blueprint/internal/stix"
	"github.com/eucyber/blueprint/internal/store"
)

// Index is the shared objects by collection, in the order they were added:
// what the object and manifest endpoints page through (§3.3: oldest first).
// It is built from the event log and follows it, so every replica answers
// alike; the objects themselves stay in the store.
//
// date_added is when the node stored a version, made strictly increasing in
// log order (a microsecond later than the one before, if the clock says
// otherwise), so that added_after and X-TAXII-Date-Added-Last page without
// skipping or repeating an object.
type Index struct {
	Store store.Store

	mu      sync.Mutex
	after   int64 // the last log position read
	last    time.Time
	shelves map[string]*shelf // by marking
}

// Entry is one version of an object in one collection.
type Entry struct {
	Position     int64
	DateAdded    time.Time
	ID           string
	Type         string
	Version      string
	Event        string
	Organisation string
	versionTime  time.Time
	withdrawn    bool
}

// shelf is one marking's entries.
type shelf struct {
	entries []*Entry
	byID    map[string][]*Entry
}

// Refresh reads what the log holds since the last call.
func (x *Index) Refresh(ctx context.Context) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.shelves == nil {
		x.shelves = map[string]*shelf{}
	}
	for {
		recs, err := x.Store.ReadKindAfter(ctx, intel.Kind, x.after, 1000)
		if err != nil {
			return err
		}
		for _, rec := range recs {
			e := rec.Event
			x.after = rec.Position
			sh := x.shelves[e.Marking.Key()]
			if sh == nil {
				sh = &shelf{byID: map[string][]*Entry{}}
				x.shelves[e.Marking.Key()] = sh
			}
			switch e.Type {
			case intel.EventVersionAdded:
				id, typ, version, err := intel.HeadOf(e)
				if err != nil {
					return err
				}
				vt, _ := stix.ParseTimestamp(version)
				// One (id, version) per collection: a second copy shared
				// under the same marking is the same object to a reader.
				if slices.ContainsFunc(sh.byID[id], func(o *Entry) bool { return !o.withdrawn && o.versionTime.Equal(vt) }) {
					continue
				}
				added := e.RecordedAt.UTC().Truncate(time.Microsecond)
				if !added.After(x.last) {
					added = x.last.Add(time.Microsecond)
				}
				x.last = added
				en := &Entry{Position: rec.Position, DateAdded: added, ID: id, Type: typ, Version: version, Event: e.ID,
					Organisation: e.Actor.Organisation, versionTime: vt}
				sh.entries = append(sh.entries, en)
				sh.byID[id] = append(sh.byID[id], en)
			case intel.EventVersionsWithdrawn:
				versions, err := intel.WithdrawnOf(e)
				if err != nil {
					return err
				}
				for _, en := range sh.byID[withdrawnID(e.Stream)] {
					if intel.Withdraws(e, versions, intel.Version{Version: en.Version, Marking: e.Marking}) {
						en.withdrawn = true
					}
				}
			}
		}
		if len(recs) < 1000 {
			return nil
		}
	}
}

func withdrawnID(stream string) string { return stream[len("stix-"):] }

// Page is one page of a query.
type Page struct {
	Entries []Entry
	More    bool
}

// Query pages through a collection's entries after the log position after
// (0 from the start, or what a previous page's next holds). With only set,
// it is restricted to that object (the object and versions endpoints).
func (x *Index) Query(c Collection, q Query, after int64, only string) Page {
	x.mu.Lock()
	defer x.mu.Unlock()
	sh := x.shelves[c.Marking.Key()]
	if sh == nil {
		return Page{}
	}
	entries := sh.entries
	if only != "" {
		entries = sh.byID[only]
	}
	start, _ := slices.BinarySearchFunc(entries, 0, func(e *Entry, _ int) int {
		if e.Position <= after || !e.DateAdded.After(q.AddedAfter) {
			return -1
		}
		return 1
	})
	var p Page
	for _, e := range entries[start:] {
		if !x.matches(sh, e, q) {
			continue
		}
		if len(p.Entries) == q.Limit {
			p.More = true
			break
		}
		p.Entries = append(p.Entries, *e)
	}
	return p
}

// Versions lists the versions of an object in a collection, as the versions
// endpoint does: every live version, whatever match[version] says.
func (x *Index) Versions(c Collection, q Query, after int64, id string) Page {
	q.Versions = []string{"all"}
	q.IDs, q.Types = nil, nil
	return x.Query(c, q, after, id)
}

// Live lists the live versions of an object in a collection that a delete
// with match[version] (default: all) would withdraw.
func (x *Index) Live(c Collection, id string, versions []string) []Entry {
	q := Query{Versions: versions, Limit: MaxLimit * 1000}
	if len(q.Versions) == 0 {
		q.Versions = []string{"all"}
	}
	return x.Query(c, q, 0, id).Entries
}

func (x *Index) matches(sh *shelf, e *Entry, q Query) bool {
	switch {
	case e.withdrawn,
		len(q.IDs) > 0 && !slices.Contains(q.IDs, e.ID),
		len(q.Types) > 0 && !slices.Contains(q.Types, e.Type),
		// Every object here is STIX 2.1, the latest spec version it has.
		len(q.SpecVersions) > 0 && !slices.Contains(q.SpecVersions, stix.SpecVersion):
		return false
	}
	versions := q.Versions
	if len(versions) == 0 {
		versions = []string{"last"}
	}
	var first, last time.Time
	for i, o := range sh.byID[e.ID] {
		if o.withdrawn {
			continue
		}
		if i == 0 || first.IsZero() || o.versionTime.Before(first) {
			first = o.versionTime
		}
		if o.versionTime.After(last) {
			last = o.versionTime
		}
	}
	for _, v := range versions {
		switch v {
		case "all":
			return true
		case "last":
			if e.versionTime.Equal(last) {
				return true
			}
		case "first":
			if e.versionTime.Equal(first) {
				return true
			}
		default:
			if t, ok := parseTime(v); ok && t.Equal(e.versionTime) {
				return true
			}
		}
	}
	return false
}
