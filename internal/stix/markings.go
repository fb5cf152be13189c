package stix

import (
	"github.com/eucyber/blueprint/internal/tlp"
)

// TLP in STIX (STANDARDS.md §2.4). The node marks what it writes with the TLP
// 2.0 marking definitions of the OASIS common-objects extension, and ships
// them and the extension's definition in every bundle so consumers can
// resolve them; on input it also accepts the four TLP 1.0 definitions of the
// STIX 2.1 standard (TLP:WHITE read as TLP:CLEAR).

// TLP2ExtensionID is the TLP 2.0 extension-definition.
const TLP2ExtensionID = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"

// tlp2Created is the created time of the TLP 2.0 objects.
const tlp2Created = "2022-10-01T00:00:00.000Z"

var tlp2 = []struct {
	label tlp.Label
	id    string
	value string
}{
	{tlp.Clear, "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487", "clear"},
	{tlp.Green, "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", "green"},
	{tlp.Amber, "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", "amber"},
	{tlp.AmberStrict, "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003", "amber+strict"},
	{tlp.Red, "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", "red"},
}

var tlp1 = map[string]tlp.Label{
	"marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9": tlp.Clear, // TLP:WHITE
	"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da": tlp.Green,
	"marking-definition--f88d31f6-486f-44da-b317-01333bde0b82": tlp.Amber,
	"marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed": tlp.Red,
}

// MarkingID is the TLP 2.0 marking-definition of a label.
func MarkingID(l tlp.Label) string {
	for _, m := range tlp2 {
		if m.label == l {
			return m.id
		}
	}
	return ""
}

// LabelOf reads a marking-definition reference as a TLP label: a TLP 2.0 or
// TLP 1.0 id.
func LabelOf(ref string) (tlp.Label, bool) {
	for _, m := range tlp2 {
		if m.id == ref {
			return m.label, true
		}
	}
	l, ok := tlp1[ref]
	return l, ok
}

// MarkingDefinition is the TLP 2.0 marking-definition object of a label.
func MarkingDefinition(l tlp.Label) map[string]any {
	for _, m := range tlp2 {
		if m.label == l {
			return map[string]any{
				"type": "marking-definition", "spec_version": SpecVersion, "id": m.id, "created": tlp2Created,
				"name":       string(m.label),
				"extensions": map[string]any{TLP2ExtensionID: map[string]any{"extension_type": "property-extension", "tlp_2_0": m.value}},
			}
		}
	}
	return nil
}

// TLP2Extension is the TLP 2.0 extension-definition object.
func TLP2Extension() map[string]any {
	return map[string]any{
		"type": "extension-definition", "spec_version": SpecVersion, "id": TLP2ExtensionID,
		"name": "TLP 2.0", "description": "This defines TLP 2.0 as a STIX extension",
		"created": tlp2Created, "modified": tlp2Created,
		"created_by_ref": "identity--b3bca3c2-1f3d-4b54-b44f-dac42c3a8f01",
		"schema":         "https://github.com/oasis-open/cti-stix-common-objects/tree/master/extension-definition-specifications/tlp-2.0",
		"version":        "1.0.0", "extension_types": []string{"property-extension"},
	}
}
