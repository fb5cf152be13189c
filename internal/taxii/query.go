package taxii

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/eucyber/blueprint/internal/stix"
)

// Query is a request's filters and pagination (§3.4, §3.5).
type Query struct {
	AddedAfter   time.Time
	Limit        int
	Next         string
	IDs          []string
	Types        []string
	Versions     []string // "last", "first", "all" or STIX timestamps
	SpecVersions []string
}

// Limits of a page: what a client gets without asking, and the most it gets.
const (
	DefaultLimit = 100
	MaxLimit     = 1000
)

// TimestampLayout writes TAXII timestamps: UTC, microseconds (§2).
const TimestampLayout = "2006-01-02T15:04:05.000000Z"

// Timestamp renders a TAXII timestamp.
func Timestamp(t time.Time) string { return t.UTC().Format(TimestampLayout) }

var taxiiTime = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?Z$`)
var specVersion = regexp.MustCompile(`^[0-9]+\.[0-9]+$`)

// parseTime reads a TAXII timestamp, with any number of fraction digits.
func parseTime(s string) (time.Time, bool) {
	if !taxiiTime.MatchString(s) {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	return t, err == nil
}

// ParseQuery reads the parameters of a request. Each may appear once; a
// malformed one is an error naming it (400, §3.4). Parameters an endpoint does
// not define, and unknown match fields, are ignored, as §3.4.1 allows.
func ParseQuery(v url.Values) (Query, error) {
	q := Query{Limit: DefaultLimit}
	for name, vals := range v {
		if len(vals) != 1 {
			return q, fmt.Errorf("%s appears %d times: give it once, with comma-separated values", name, len(vals))
		}
		val := vals[0]
		switch name {
		case "added_after":
			t, ok := parseTime(val)
			if !ok {
				return q, fmt.Errorf("added_after %q is not a TAXII timestamp (e.g. 2026-12-01T02:40:00.000000Z)", val)
			}
			q.AddedAfter = t
		case "limit":
			n, err := strconv.Atoi(val)
			if err != nil || n <= 0 {
				return q, fmt.Errorf("limit %q is not an integer greater than 0", val)
			}
			q.Limit = min(n, MaxLimit)
		case "next":
			if val == "" || len(val) > 512 {
				return q, fmt.Errorf("next is not a value this server gave")
			}
			q.Next = val
		case "match[id]":
			ids, err := list(name, val, func(s string) bool { _, ok := stix.TypeOf(s); return ok })
			if err != nil {
				return q, err
			}
			q.IDs = ids
		case "match[type]":
			types, err := list(name, val, func(s string) bool { return stixType.MatchString(s) })
			if err != nil {
				return q, err
			}
			q.Types = types
		case "match[version]":
			vs, err := list(name, val, func(s string) bool {
				_, ok := parseTime(s)
				return ok || s == "last" || s == "first" || s == "all"
			})
			if err != nil {
				return q, err
			}
			if slices.Contains(vs, "all") && len(vs) > 1 {
				return q, fmt.Errorf("match[version]=all may not be combined with other values")
			}
			q.Versions = vs
		case "match[spec_version]":
			svs, err := list(name, val, specVersion.MatchString)
			if err != nil {
				return q, err
			}
			q.SpecVersions = svs
		}
	}
	return q, nil
}

var stixType = regexp.MustCompile(`^[a-z][a-z0-9-]{1,248}[a-z0-9]$`)

// list splits comma-separated values, refusing an empty, malformed or
// repeated one.
func list(name, val string, ok func(string) bool) ([]string, error) {
	parts := strings.Split(val, ",")
	for i, p := range parts {
		if p == "" || !ok(p) {
			return nil, fmt.Errorf("%s: %q is not a valid value", name, p)
		}
		if slices.Contains(parts[:i], p) {
			return nil, fmt.Errorf("%s: %q is given twice", name, p)
		}
	}
	return parts, nil
}
