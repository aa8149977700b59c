package main

import "testing"

// Only no arguments, or just the data folder, open the window: a command line that is
// not understood goes to the command line, which says so (exit 2) — never a window.
func TestWindowLaunchOnlyWithoutACommand(t *testing.T) {
	cases := map[string]struct {
		args   []string
		window bool
	}{
		"nothing":             {nil, true},
		"data folder":         {[]string{"-data", "/tmp/shop"}, true},
		"data folder, = form": {[]string{"--data=/tmp/shop"}, true},
		"macOS Finder":        {[]string{"-psn_0_123456"}, true},
		"a command":           {[]string{"sync"}, false},
		"an unknown command":  {[]string{"bogus"}, false},
		"-data without value": {[]string{"-data"}, false},
		"a flag of a command": {[]string{"-json"}, false},
		"data then a command": {[]string{"-data", "/tmp/shop", "status", "1"}, false},
		"an unknown flag":     {[]string{"-x"}, false},
	}
	for name, c := range cases {
		if got := windowLaunch(c.args); got != c.window {
			t.Errorf("%s: windowLaunch(%q) = %v, want %v", name, c.args, got, c.window)
		}
	}
}
