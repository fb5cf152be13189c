// Package telemetry holds the node's Prometheus metrics (DESIGN §4): HTTP requests
// and latencies, events appended, and store errors. Collectors live in a Metrics
// value registered on a registry the caller owns, never on the global default.
package telemetry

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Metrics is the node's set of collectors.
type Metrics struct {
	Registry       *prometheus.Registry
	Requests       *prometheus.CounterVec
	Latency        *prometheus.HistogramVec
	EventsAppended prometheus.Counter
	StoreErrors    *prometheus.CounterVec
	LedgerSize     prometheus.Gauge
}

// New creates the collectors on a fresh registry, with the Go runtime and process
// collectors beside them.
func New() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		Requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "blueprint_http_requests_total",
			Help: "HTTP requests by method, route pattern and status code.",
		}, []string{"method", "route", "code"}),
		Latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "blueprint_http_request_duration_seconds",
			Help:    "HTTP request latency by route pattern.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"route"}),
		EventsAppended: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "blueprint_events_appended_total",
			Help: "Events appended to the store by this process.",
		}),
		StoreErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "blueprint_store_errors_total",
			Help: "Store operations that failed, by operation (conflicts and invalid input excluded).",
		}, []string{"op"}),
		LedgerSize: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "blueprint_ledger_sealed_events",
			Help: "Events covered by the latest signed ledger checkpoint.",
		}),
	}
	m.Registry.MustRegister(m.Requests, m.Latency, m.EventsAppended, m.StoreErrors, m.LedgerSize,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}
