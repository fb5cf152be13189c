package web

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/eucyber/blueprint/internal/crisis"
	"github.com/eucyber/blueprint/internal/model"
)

// The overview map: the 27 Member States coloured by the most severe open case
// touching each, from the cases the viewer may see. The shapes are generated
// data (ui/map/LICENSE.md, tools/mapgen).

//go:embed ui/map/eu-member-states.json
var euMapJSON []byte

// memberStateShapes maps EU country codes to SVG paths in an 800×700 box.
var memberStateShapes = func() map[string]string {
	var m map[string]string
	if err := json.Unmarshal(euMapJSON, &m); err != nil {
		panic(fmt.Sprintf("the embedded EU map is not valid JSON: %v", err))
	}
	return m
}()

// mapRegion is one Member State on the map.
type mapRegion struct {
	Code, Name, Path string
	// Level is the decided level of the most severe open case touching it;
	// "" when none does.
	Level crisis.Level
	Cases int
}

// Label says, in words, what the region's colour says (its title and the
// text alternative).
func (r mapRegion) Label() string {
	if r.Cases == 0 {
		return r.Name + ": no open case"
	}
	return fmt.Sprintf("%s: %s (%d open case%s)", r.Name, strings.ReplaceAll(string(r.Level), "-", " "), r.Cases, plural(r.Cases))
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// Class is the CSS class of the region's fill.
func (r mapRegion) Class() string {
	if r.Cases == 0 {
		return "ms ms-none"
	}
	return "ms ms-" + string(r.Level)
}

// euMap builds the map from the viewer's case summaries.
func euMap(m *model.Model, cases []caseSummary) []mapRegion {
	regions := make([]mapRegion, 0, len(m.MemberStates))
	for _, ms := range m.MemberStates {
		r := mapRegion{Code: ms.Code, Name: ms.Name, Path: memberStateShapes[ms.Code]}
		for _, c := range cases {
			if c.Closed || !slices.Contains(c.MemberStates, ms.Code) {
				continue
			}
			r.Cases++
			if c.Level.Rank() > r.Level.Rank() {
				r.Level = c.Level
			}
		}
		regions = append(regions, r)
	}
	return regions
}
