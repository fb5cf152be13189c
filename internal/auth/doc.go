// Package auth holds who may use a node: organisations (the model's Union actors
// and the national organisations an admin registers), their network memberships,
// users with their roles, and how a request proves who it comes from — passwords
// (argon2id), sessions with CSRF tokens, and API tokens. R15 of the Blueprint
// specification; §8 and Annex II(2) of the Recommendation for the organisations.
//
// Organisations and users are event-sourced like everything else: every change is
// an event, and the Directory is their fold, kept current by following the log.
// Secrets are not: password hashes, token hashes and sessions live in their own
// tables (CredentialStore), because the event log is permanent, replicated and
// exported, and a secret must be replaceable and erasable. The events record that
// a password changed or a token was created, never the secret itself.
package auth
