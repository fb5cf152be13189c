package taxii_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/eucyber/blueprint/internal/taxii"
)

func TestParseQuery(t *testing.T) {
	q, err := taxii.ParseQuery(url.Values{"added_after": {"2026-12-01T02:40:00.123456Z"}, "limit": {"5000"},
		"match[type]": {"indicator,malware"}, "match[version]": {"first,2026-11-30T10:00:00.000Z,last"}, "match[spec_version]": {"2.0,2.1"},
		"match[unknown_field]": {"whatever"}})
	if err != nil {
		t.Fatal(err)
	}
	if !q.AddedAfter.Equal(time.Date(2026, 12, 1, 2, 40, 0, 123456000, time.UTC)) || q.Limit != taxii.MaxLimit ||
		len(q.Types) != 2 || len(q.Versions) != 3 || len(q.SpecVersions) != 2 {
		t.Errorf("%+v", q)
	}
	if q, _ := taxii.ParseQuery(url.Values{}); q.Limit != taxii.DefaultLimit {
		t.Errorf("default limit %d", q.Limit)
	}
	for _, tt := range []struct {
		v    url.Values
		want string
	}{
		{url.Values{"added_after": {"2026-12-01T02:40:00+01:00"}}, "added_after"},
		{url.Values{"added_after": {"a", "b"}}, "appears 2 times"},
		{url.Values{"limit": {"0"}}, "limit"},
		{url.Values{"limit": {"-3"}}, "limit"},
		{url.Values{"limit": {"ten"}}, "limit"},
		{url.Values{"match[version]": {"all,last"}}, "may not be combined"},
		{url.Values{"match[version]": {"last,last"}}, "given twice"},
		{url.Values{"match[version]": {"yesterday"}}, "match[version]"},
		{url.Values{"match[id]": {"indicator--1"}}, "match[id]"},
		{url.Values{"match[type]": {"Indicator"}}, "match[type]"},
		{url.Values{"match[type]": {"indicator,,malware"}}, "match[type]"},
		{url.Values{"match[spec_version]": {"2"}}, "match[spec_version]"},
		{url.Values{"next": {""}}, "next"},
	} {
		if _, err := taxii.ParseQuery(tt.v); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: %v, want an error naming %s", tt.v, err, tt.want)
		}
	}
}

// FuzzParseQuery: whatever a client sends as filters and pagination, parsing
// never panics, and what it accepts is within the limits.
func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{
		"added_after=2026-12-01T02:40:00.123456Z&limit=10&match[type]=indicator,malware",
		"match[version]=first,2026-11-30T10:00:00.000Z,last&match[spec_version]=2.1",
		"match[id]=indicator--9b1a3f0e-2c4d-4e5f-8a6b-7c8d9e0f1a2b&next=abc",
		"limit=99999999999999999999&added_after=9999-99-99T99:99:99Z",
		"match[version]=all&match[version]=last",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		q, err := taxii.ParseQuery(v)
		if err != nil {
			return
		}
		if q.Limit < 1 || q.Limit > taxii.MaxLimit {
			t.Fatalf("limit %d accepted", q.Limit)
		}
		for _, ver := range q.Versions {
			if ver == "all" && len(q.Versions) > 1 {
				t.Fatalf("all combined: %v", q.Versions)
			}
		}
	})
}
