//go:build !bindings

package app

// GeneratingBindings: see bindings_tag.go.
const GeneratingBindings = false
