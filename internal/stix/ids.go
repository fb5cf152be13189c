package stix

import (
	"regexp"
	"time"

	"github.com/google/uuid"
)

// MediaType is the STIX 2.1 media type (STANDARDS.md §0 row 2).
const MediaType = "application/stix+json;version=2.1"

// SpecVersion is the spec_version of every object the node writes.
const SpecVersion = "2.1"

// idNamespace derives the STIX ids of the node's own items: the same case,
// report or organisation always has the same STIX id, so a consumer that
// imports an export twice updates its objects rather than duplicating them.
var idNamespace = uuid.MustParse("6d3c0f3e-8a51-4b9a-9a0e-2f1b7c5d4e21")

// ID is the STIX identifier of one of the node's items: "<type>--<UUIDv5>"
// over the item's kind and id. STIX asks for UUIDv4 on SDOs (a SHOULD); a
// name-based UUID is as unique and keeps exports stable.
func ID(stixType, kind, id string) string {
	return stixType + "--" + uuid.NewSHA1(idNamespace, []byte(kind+"/"+id)).String()
}

// idPattern is the schema's identifier pattern (STANDARDS.md §0 row 9).
var idPattern = regexp.MustCompile(`^([a-z][a-z0-9-]+[a-z0-9])--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-5][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$`)

// TypeOf returns the type part of a STIX identifier, or false if id is not one.
func TypeOf(id string) (string, bool) {
	m := idPattern.FindStringSubmatch(id)
	if m == nil {
		return "", false
	}
	return m[1], true
}

// timestampLayout writes STIX timestamps with the millisecond precision
// created and modified need (§2.16, §3.2).
const timestampLayout = "2006-01-02T15:04:05.000Z"

// Timestamp renders t as a STIX timestamp, in UTC.
func Timestamp(t time.Time) string { return t.UTC().Format(timestampLayout) }

// timestampPattern is the schema's timestamp pattern: UTC, Z, any fraction.
var timestampPattern = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?Z$`)

// ParseTimestamp reads a STIX timestamp.
func ParseTimestamp(s string) (time.Time, bool) {
	if !timestampPattern.MatchString(s) {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	return t, err == nil
}
