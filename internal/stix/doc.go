// Package stix maps the platform's cases, national reports, situation reports
// and organisations to STIX 2.1 (OASIS Standard, 10 June 2021) and reads STIX
// 2.1 bundles from MISP, OpenCTI and other nodes (R16). The exact values —
// identifiers, timestamps, the TLP 2.0 marking definitions and their extension,
// the TLP 1.0 ids still accepted on input — are those of STANDARDS.md §2.
//
// Every object in or out is checked against the OASIS STIX 2.1 JSON schemas
// (oasis-open/cti-stix2-json-schemas, BSD-3-Clause, embedded under schemas/
// with their licence), with github.com/santhosh-tekuri/jsonschema/v6: writing
// a JSON Schema 2020-12 validator of our own for 57 interlinked schemas would
// be more code than this package, and a worse one. The schemas cover the
// shape of an object; this package adds what they cannot say (a TLP marking
// is required, classified markings are refused, modified is not before
// created).
//
// The package holds no I/O: the caller brings what the viewer may see and
// stores what an import accepts.
package stix
