package web

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/eucyber/blueprint/internal/intel"
	"github.com/eucyber/blueprint/internal/stix"
	"github.com/eucyber/blueprint/internal/tlp"
)

// The TAXII benchmarks (issue 8): POST of 100-object envelopes, and GET of a
// 100-object page, while the collection holds 10³ and 10⁵ objects — and 10⁶
// with BLUEPRINT_BENCH_TAXII_SIZES=1000,100000,1000000 (filling it takes
// minutes). Figures and how to run them: docs/performance.md.

func benchSizes() []int {
	sizes := []int{1_000, 100_000}
	if s := os.Getenv("BLUEPRINT_BENCH_TAXII_SIZES"); s != "" {
		sizes = nil
		for _, f := range strings.Split(s, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err == nil && n > 0 {
				sizes = append(sizes, n)
			}
		}
	}
	return sizes
}

// benchIndicator is indicator n, GREEN, as a client sends it.
func benchIndicator(n int) string {
	return fmt.Sprintf(`{"type":"indicator","spec_version":"2.1","id":"indicator--%08x-0000-4000-8000-%012d","created":"2026-11-30T10:00:00.000Z",`+
		`"modified":"2026-11-30T10:00:00.000Z","pattern":"[ipv4-addr:value = '198.51.100.%d']","pattern_type":"stix","valid_from":"2026-11-30T10:00:00Z",`+
		`"object_marking_refs":["%s"]}`, n>>20, n, n%250, stix.MarkingID(tlp.Green))
}

func BenchmarkTAXII(b *testing.B) {
	for _, size := range benchSizes() {
		d := MustDeps(b)
		h := NewServer(d)
		basic := "Basic " + base64.StdEncoding.EncodeToString([]byte("admin:"+testAdminPassword))
		community := tlp.Marking{TLP: tlp.Green, Audience: tlp.Audience{Kind: tlp.Community}}
		admin, _ := d.Auth.Dir.UserByUsername("admin")
		who := intel.Actor{User: admin.ID, Organisation: admin.Organisation}
		// Fill the collection through the path an import takes, 100 objects a
		// bundle.
		var mid string
		for start := 0; start < size; start += 100 {
			objs := make([]string, 0, 100)
			for n := start; n < min(start+100, size); n++ {
				objs = append(objs, benchIndicator(n))
			}
			read, err := stix.ReadBundle([]byte(`{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[` + strings.Join(objs, ",") + `]}`))
			if err != nil || len(read.Refused) > 0 {
				b.Fatal(err, read.Refused)
			}
			markings := make([]tlp.Marking, len(read.Objects))
			for i := range markings {
				markings[i] = community
			}
			if _, err := d.Intel.AddBatch(b.Context(), who, read.Objects, markings); err != nil {
				b.Fatal(err)
			}
			if start == size/2/100*100 {
				mid = time.Now().UTC().Add(-time.Millisecond).Format("2006-01-02T15:04:05.000000Z")
			}
		}
		do := func(method, path, body string) *httptest.ResponseRecorder {
			req := httptest.NewRequest(method, path, strings.NewReader(body))
			req.Header.Set("Accept", taxiiMediaType)
			req.Header.Set("Authorization", basic)
			if body != "" {
				req.Header.Set("Content-Type", taxiiMediaType)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			return rec
		}
		objects := "/taxii2/blueprint/collections/community-green/objects/"
		// The index reads the filled log once, before anything is timed: what
		// a node does on its first TAXII request after a start.
		began := time.Now()
		if rec := do("GET", objects+"?limit=1", ""); rec.Code != http.StatusOK {
			b.Fatalf("warm-up: %d %s", rec.Code, rec.Body.String())
		}
		b.Logf("stored=%d: the index read the log in %s", size, time.Since(began).Round(time.Millisecond))
		b.Run(fmt.Sprintf("GET-page/stored=%d", size), func(b *testing.B) {
			for b.Loop() {
				rec := do("GET", objects+"?limit=100&added_after="+mid, "")
				if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"more":true`) {
					b.Fatalf("%d %.300s", rec.Code, rec.Body.String())
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/1000, "ms/page")
		})
		next := size
		b.Run(fmt.Sprintf("POST-100/stored=%d", size), func(b *testing.B) {
			for b.Loop() {
				objs := make([]string, 100)
				for i := range objs {
					objs[i] = benchIndicator(next)
					next++
				}
				rec := do("POST", objects, `{"objects":[`+strings.Join(objs, ",")+`]}`)
				if rec.Code != http.StatusAccepted || !strings.Contains(rec.Body.String(), `"success_count":100`) {
					b.Fatalf("%d %.300s", rec.Code, rec.Body.String())
				}
			}
			b.ReportMetric(float64(b.N*100)/b.Elapsed().Seconds(), "objects/s")
		})
	}
}
