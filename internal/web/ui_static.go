package web

import (
	"net/http"
)

// static serves the embedded style sheet and script. Asked for with the hash
// the pages link to, a file may be cached for good; any other version is
// served but not cached, so an old page never pins a stale file.
func (u *webUI) static() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u.err != nil {
			u.writeError(w, r, errNoPage)
			return
		}
		var body []byte
		var contentType, url string
		switch r.PathValue("file") {
		case "ui.css":
			body, contentType, url = u.css, "text/css; charset=utf-8", u.cssURL
		case "live.js":
			body, contentType, url = u.js, "text/javascript; charset=utf-8", u.jsURL
		default:
			u.writeError(w, r, errNoPage)
			return
		}
		h := w.Header()
		h.Set("Content-Type", contentType)
		if "/static/"+r.PathValue("file")+"?"+r.URL.RawQuery == url {
			h.Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			h.Set("Cache-Control", "no-cache")
		}
		w.Write(body) //nolint:errcheck // the client went away; nothing to do
	})
}
