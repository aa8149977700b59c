//go:build bindings

package app

// GeneratingBindings is true when `wails generate module` / `wails build` compile the
// app with the bindings tag and run it only to list the bound methods: main then opens
// no data folder, no sandbox and no demo.
const GeneratingBindings = true
