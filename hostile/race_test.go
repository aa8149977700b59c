//go:build race

package hostile

// raceEnabled: the test runs with -race, so the binary is built with it too (it then
// shares the build cache of the test run, and the detector watches the binary).
const raceEnabled = true
