package web

import (
	"net/http"
)

// static serves the embedded style sheet. Asked for with the hash the pages
// link to, it may be cached for good; any other version is served but not
// cached, so an old page never pins a stale sheet.
func (u *webUI) static() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u.err != nil || r.PathValue("file") != "ui.css" {
			u.writeError(w, r, errNoPage)
			return
		}
		h := w.Header()
		h.Set("Content-Type", "text/css; charset=utf-8")
		if "/static/ui.css?"+r.URL.RawQuery == u.cssURL {
			h.Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			h.Set("Cache-Control", "no-cache")
		}
		w.Write(u.css) //nolint:errcheck // the client went away; nothing to do
	})
}
