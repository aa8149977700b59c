package licenses

import (
	"encoding/json"
	"os"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func index(entries []Entry) map[string]Entry {
	m := map[string]Entry{}
	for _, e := range entries {
		m[e.Name] = e
	}
	return m
}

func TestListNamesTheShippedCodeWithTexts(t *testing.T) {
	l, err := All()
	require.NoError(t, err)
	gomods, npm := index(l.Go), index(l.NPM)
	for _, name := range []string{"github.com/mattn/go-sqlite3", "github.com/wailsapp/wails/v2", "golang.org/x/text", "Go standard library and runtime"} {
		require.Contains(t, gomods, name)
		assert.NotEmpty(t, gomods[name].Text, name)
	}
	assert.Equal(t, "MIT", gomods["github.com/mattn/go-sqlite3"].License)
	require.Contains(t, npm, "react")
	assert.Equal(t, "MIT", npm["react"].License)
	assert.Contains(t, npm["react"].Text, "Permission is hereby granted")
	assert.NotContains(t, gomods, "github.com/stretchr/testify", "test-only code is not shipped")
	assert.NotContains(t, npm, "vitest", "dev dependencies are not shipped")
	for _, e := range append(append([]Entry{}, l.Go...), l.NPM...) {
		assert.NotEmpty(t, e.Text, e.Name)
		assert.NotEqual(t, "unknown", e.License, e.Name)
	}
}

// notShipped: direct requirements of go.mod that the app's binary does not link (the
// generator lists what `go list -deps` of the app finds), with why.
var notShipped = map[string]string{
	"github.com/stretchr/testify": "tests only",
}

// The generated file follows go.mod and package.json: a dependency added or upgraded
// without `make licenses` fails here.
func TestListIsUpToDateWithTheManifests(t *testing.T) {
	l, err := All()
	require.NoError(t, err)
	gomods, npm := index(l.Go), index(l.NPM)

	gomod, err := os.ReadFile("../../go.mod")
	require.NoError(t, err)
	direct := regexp.MustCompile(`(?m)^\s+(\S+) (v\S+)\s*$`) // a require line without "// indirect"
	for _, m := range direct.FindAllStringSubmatch(string(gomod), -1) {
		if notShipped[m[1]] != "" {
			continue
		}
		require.Contains(t, gomods, m[1], "run make licenses")
		assert.Equal(t, m[2], gomods[m[1]].Version, "%s: run make licenses", m[1])
	}

	raw, err := os.ReadFile("../../frontend/package.json")
	require.NoError(t, err)
	var pkg struct{ Dependencies map[string]string }
	require.NoError(t, json.Unmarshal(raw, &pkg))
	require.NotEmpty(t, pkg.Dependencies)
	for name := range pkg.Dependencies {
		assert.Contains(t, npm, name, "run make licenses")
	}
}
