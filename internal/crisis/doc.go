// Package crisis holds the Blueprint's cases as pure domain logic (DESIGN §2):
// commands are checked by decide functions that take the current state, the
// command, the model and the time, and return events or an error; state is the
// fold of events by apply functions. No I/O: adapters load state, call decide,
// and append what it returns.
//
// This file set covers national reports (R3, §49, §55(a)(iii)): a report filed
// by a Member State's CSIRT, cyber crisis management authority or sectoral
// authority, or by CERT-EU for Union entities, with the §30 severity assessment
// computed by internal/severity. Amendments are new events; the history stays.
package crisis
