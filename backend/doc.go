// Package backend is the domain of Kessai Desk: orders (受注), their payments at a
// gateway, and the journal of operations sent to the gateways.
//
// It holds the types, the rules (the unified payment state machine, which cancel a
// gateway needs on a given date, when an authorisation expires) and the interfaces
// the rest of the program implements: Store (backend/sqlite), Gateway (backend/gmo,
// backend/sbps, backend/paygent), Vault (backend/vault), Clock and Notifier.
// Nothing here imports SQLite, HTTP or Wails.
package backend
