package web

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// route is one entry of the node's map of URLs. The OpenAPI test reads this list,
// so a route under /api/v1 that the document does not describe fails the build.
type route struct {
	method  string
	pattern string
	handler http.Handler
}

// apiPrefix is where the versioned JSON API lives.
const apiPrefix = "/api/v1"

func routes(d Deps) []route {
	u := newUI(d)
	return []route{
		{"GET", "/healthz", handleHealthz()},
		{"GET", "/readyz", handleReadyz(d.Store, d.Logger)},
		{"GET", "/metrics", onlyFrom(d.Logger, d.MetricsAllow, promhttp.HandlerFor(d.Metrics.Registry, promhttp.HandlerOpts{}))},

		{"GET", apiPrefix + "/openapi.json", handleOpenAPI()},
		{"GET", apiPrefix + "/model", api(d.Logger, handleModelIndex())},
		{"GET", apiPrefix + "/model/{table}", api(d.Logger, handleModelTable(d.Model))},
		{"GET", apiPrefix + "/model/{table}/{id}", api(d.Logger, handleModelEntry(d.Model))},

		{"POST", apiPrefix + "/session", api(d.Logger, handleLogin(d))},
		{"GET", apiPrefix + "/session", api(d.Logger, handleSession(d))},
		{"DELETE", apiPrefix + "/session", api(d.Logger, handleLogout(d))},
		{"GET", apiPrefix + "/tokens", api(d.Logger, handleListTokens(d))},
		{"POST", apiPrefix + "/tokens", api(d.Logger, handleCreateToken(d))},
		{"DELETE", apiPrefix + "/tokens/{id}", api(d.Logger, handleRevokeToken(d))},

		{"GET", apiPrefix + "/organisations", api(d.Logger, handleListOrganisations(d))},
		{"POST", apiPrefix + "/organisations", api(d.Logger, handleRegisterOrganisation(d))},
		{"GET", apiPrefix + "/organisations/{id}", api(d.Logger, handleGetOrganisation(d))},
		{"POST", apiPrefix + "/organisations/{id}/memberships", api(d.Logger, handleMembership(d.Auth.GrantMembership))},
		{"DELETE", apiPrefix + "/organisations/{id}/memberships", api(d.Logger, handleMembership(d.Auth.RevokeMembership))},
		{"GET", apiPrefix + "/users", api(d.Logger, handleListUsers(d))},
		{"POST", apiPrefix + "/users", api(d.Logger, handleCreateUser(d))},
		{"GET", apiPrefix + "/users/{id}", api(d.Logger, handleGetUser(d))},
		{"POST", apiPrefix + "/users/{id}/disable", api(d.Logger, handleDisableUser(d))},
		{"PUT", apiPrefix + "/users/{id}/password", api(d.Logger, handleSetPassword(d))},

		{"GET", apiPrefix + "/audit", api(d.Logger, handleAudit(d))},

		{"GET", apiPrefix + "/reports", api(d.Logger, handleListReports(d))},
		{"POST", apiPrefix + "/reports", api(d.Logger, handleFileReport(d))},
		{"GET", apiPrefix + "/reports/{id}", api(d.Logger, handleGetReport(d))},
		{"PUT", apiPrefix + "/reports/{id}", api(d.Logger, handleAmendReport(d))},
		{"GET", apiPrefix + "/reports/{id}/history", api(d.Logger, handleReportHistory(d))},

		{"GET", apiPrefix + "/cases", api(d.Logger, handleListCases(d))},
		{"POST", apiPrefix + "/cases", api(d.Logger, handleOpenCase(d))},
		{"GET", apiPrefix + "/cases/{id}", api(d.Logger, handleGetCase(d))},
		{"POST", apiPrefix + "/cases/{id}/reports", api(d.Logger, handleLinkReport(d))},
		{"POST", apiPrefix + "/cases/{id}/unlinks", api(d.Logger, handleUnlinkReport(d))},
		{"POST", apiPrefix + "/cases/{id}/signals", api(d.Logger, handleSignal(d))},
		{"POST", apiPrefix + "/cases/{id}/decisions", api(d.Logger, handleDecideLevel(d))},
		{"POST", apiPrefix + "/cases/{id}/networks", api(d.Logger, handleNetwork(d))},
		{"POST", apiPrefix + "/cases/{id}/arrangements", api(d.Logger, handleArrangements(d))},
		{"POST", apiPrefix + "/cases/{id}/ipcr", api(d.Logger, handleIPCR(d))},
		{"POST", apiPrefix + "/cases/{id}/roundtables", api(d.Logger, handleRoundtable(d))},
		{"POST", apiPrefix + "/cases/{id}/hybrid", api(d.Logger, handleHybrid(d))},
		{"POST", apiPrefix + "/cases/{id}/mechanisms", api(d.Logger, handleMechanismRecord(d))},
		{"POST", apiPrefix + "/cases/{id}/analyses", api(d.Logger, handleAnalysis(d))},
		{"POST", apiPrefix + "/cases/{id}/reserve-requests", api(d.Logger, handleReserveRequest(d))},
		{"POST", apiPrefix + "/cases/{id}/reserve-requests/{request}/status", api(d.Logger, handleReserveUpdate(d))},
		{"POST", apiPrefix + "/cases/{id}/communications", api(d.Logger, handleCommunication(d))},
		{"POST", apiPrefix + "/cases/{id}/diplomacy", api(d.Logger, handleDiplomacy(d))},
		{"POST", apiPrefix + "/cases/{id}/contact-points", api(d.Logger, handleContactPoint(d))},
		{"POST", apiPrefix + "/cases/{id}/military-notices", api(d.Logger, handleMilitaryNotice(d))},
		{"POST", apiPrefix + "/cases/{id}/recovery", api(d.Logger, handleRecovery(d))},
		{"POST", apiPrefix + "/cases/{id}/reviews", api(d.Logger, handleReview(d))},
		{"POST", apiPrefix + "/cases/{id}/closure", api(d.Logger, handleCloseCase(d))},
		{"POST", apiPrefix + "/cases/{id}/reopening", api(d.Logger, handleReopenCase(d))},
		{"POST", apiPrefix + "/cases/{id}/sitreps/drafts", api(d.Logger, handleDraftSitrep(d))},
		{"POST", apiPrefix + "/cases/{id}/sitreps", api(d.Logger, handlePublishSitrep(d))},
		{"GET", apiPrefix + "/cases/{id}/sitreps", api(d.Logger, handleListSitreps(d))},
		{"GET", apiPrefix + "/cases/{id}/sitreps/{kind}/{version}", api(d.Logger, handleGetSitrep(d))},
		{"GET", apiPrefix + "/cases/{id}/stix", api(d.Logger, handleExportCase(d))},
		{"POST", apiPrefix + "/stix/bundles", api(d.Logger, handleImportBundle(d))},
		{"GET", apiPrefix + "/stix/objects/{id}", api(d.Logger, handleSharedObject(d))},
		{"GET", apiPrefix + "/live", api(d.Logger, handleLive(d))},

		// The TAXII 2.1 server (taxii.go), which authenticates its clients
		// itself: HTTP Basic or an API token, never a cookie.
		{"", taxiiPrefix, newTAXIIServer(d)},

		// Anything else under the API answers with a problem document, not the
		// mux's plain-text 404.
		{"", apiPrefix + "/", api(d.Logger, handleAPINotFound())},

		// The web UI for crisis officers (ui*.go, templates under ui/): pages
		// and plain forms; the forms post with the session's csrf_token.
		{"GET", "/login", u.page(u.loginPage)},
		{"POST", "/login", u.page(u.login)},
		{"POST", "/logout", u.page(u.logout)},
		{"GET", "/static/{file}", u.static()},
		{"GET", "/{$}", u.page(u.overview)},
		{"GET", "/reports/new", u.page(u.newReport)},
		{"POST", "/reports", u.page(u.fileReport)},
		{"GET", "/reports/{id}", u.page(u.report)},
		{"GET", "/cases/new", u.page(u.newCase)},
		{"POST", "/cases", u.page(u.openCase)},
		{"GET", "/cases/{id}", u.page(u.caseRoom)},
		{"POST", "/cases/{id}/reports/link", u.page(u.linkReport())},
		{"POST", "/cases/{id}/decide", u.page(u.decide())},
		{"POST", "/cases/{id}/networks", u.page(u.network())},
		{"POST", "/cases/{id}/signals", u.page(u.signal())},
		{"POST", "/cases/{id}/arrangements", u.page(u.arrangements())},
		{"POST", "/cases/{id}/ipcr", u.page(u.ipcr())},
		{"POST", "/cases/{id}/roundtables", u.page(u.roundtable())},
		{"POST", "/cases/{id}/reserve", u.page(u.reserveRequest())},
		{"POST", "/cases/{id}/reserve/{request}/status", u.page(u.reserveStatus())},
		{"POST", "/cases/{id}/hybrid", u.page(u.hybrid())},
		{"POST", "/cases/{id}/mechanisms", u.page(u.mechanismRecord())},
		{"POST", "/cases/{id}/analyses", u.page(u.analysis())},
		{"POST", "/cases/{id}/communications", u.page(u.communication())},
		{"POST", "/cases/{id}/diplomacy", u.page(u.diplomacy())},
		{"POST", "/cases/{id}/contact-points", u.page(u.contactPoint())},
		{"POST", "/cases/{id}/military-notices", u.page(u.militaryNotice())},
		{"POST", "/cases/{id}/recovery", u.page(u.recovery())},
		{"POST", "/cases/{id}/reviews", u.page(u.review())},
		{"POST", "/cases/{id}/reviews/delivery", u.page(u.reviewDelivery())},
		{"POST", "/cases/{id}/close", u.page(u.closeCase())},
		{"POST", "/cases/{id}/reopen", u.page(u.reopenCase())},
		{"POST", "/cases/{id}/sitreps/draft", u.page(u.draftSitrep)},
		{"POST", "/cases/{id}/sitreps/publish", u.page(u.publishSitrep)},
		{"POST", "/cases/{id}/sitreps/check", u.page(u.checkSitrep)},
		{"GET", "/account", u.page(u.account)},
		{"POST", "/account/password", u.page(u.changePassword)},
		{"POST", "/account/tokens", u.page(u.createToken)},
		{"POST", "/account/tokens/{id}/revoke", u.page(u.revokeToken)},
		{"GET", "/directory", u.page(u.directory)},
		// Any other path: an HTML "not found" page.
		{"", "/", u.page(u.notFound)},
	}
}
