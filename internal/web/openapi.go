package web

import (
	_ "embed"
	"net/http"
)

// openAPIDocument describes every route under /api/v1; openapi_test.go checks it
// against routes().
//
//go:embed openapi.json
var openAPIDocument []byte

func handleOpenAPI() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(openAPIDocument) //nolint:errcheck // the client went away
	})
}
