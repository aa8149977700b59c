package app

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestStartOptionsUnsetChangeNothing(t *testing.T) {
	sys, _, _, _ := openDemo(t)
	s := NewServices(sys, "test")
	require.NoError(t, s.ApplyStartOptions(context.Background(), envOf(nil)))
	info, err := Bind(s).Settings.Info()
	require.NoError(t, err)
	assert.Equal(t, "ja", info.Language)
	assert.Empty(t, info.StartView)
}

func TestStartOptionsSetLanguageAndStartView(t *testing.T) {
	sys, _, _, _ := openDemo(t)
	s := NewServices(sys, "test")
	require.NoError(t, s.ApplyStartOptions(context.Background(), envOf(map[string]string{
		EnvLang: "en", EnvStartView: " order:100250:capture ",
	})))
	info, err := Bind(s).Settings.Info()
	require.NoError(t, err)
	assert.Equal(t, "en", info.Language)
	assert.Equal(t, "order:100250:capture", info.StartView)
	assert.Equal(t, "en", s.lang(context.Background()), "the backend's messages follow too")
}

func TestStartOptionsIgnoreAnUnknownLanguage(t *testing.T) {
	sys, _, _, _ := openDemo(t)
	s := NewServices(sys, "test")
	require.NoError(t, s.ApplyStartOptions(context.Background(), envOf(map[string]string{EnvLang: "fr"})))
	info, err := Bind(s).Settings.Info()
	require.NoError(t, err)
	assert.Equal(t, "ja", info.Language)
}
