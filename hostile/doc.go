// Package hostile holds the hostile test suite of issue 13: Kessai Desk attacked as a
// hostile tester would — damaged data folders, command lines it does not understand,
// keychains that cannot be used, gateways that answer badly — over the real binary
// (built once by the test) and, where only the process itself can be reached, over
// the real system.Open and command-line code. Each attack names the fix it guards; the
// suite runs in `go test ./...` and needs no display. The package has no other code.
package hostile
