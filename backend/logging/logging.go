// Package logging is Kessai Desk's log for support: JSON lines (log/slog) in the data
// folder's logs/kessaidesk.log, rotated by size with a few older files kept
// (gopkg.in/natefinch/lumberjack.v2). The level is a setting the operator changes in
// 設定 while the app runs.
//
// What is logged is a summary — an operation, an order, a code, a duration — never a
// secret or a whole gateway answer. As a second line of defence the handler blanks any
// attribute whose key names a secret (password, pass, secret, key, token, cert).
package logging

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"gopkg.in/natefinch/lumberjack.v2"
)

// Dir is the log folder inside the data folder; File the current log in it.
const (
	Dir  = "logs"
	File = "kessaidesk.log"
)

// Rotation: a file is rotated at MaxSizeMB; MaxBackups older files are kept
// (kessaidesk-<time>.log), so the folder holds at most about 25 MB.
const (
	MaxSizeMB  = 5
	MaxBackups = 4
)

// SettingLevel is the settings key of the level: "debug", "info" (default), "warn", "error".
const SettingLevel = "log.level"

// Levels lists the level names 設定 offers, most detailed first.
var Levels = []string{"debug", "info", "warn", "error"}

// ParseLevel reads a level name; ok is false for anything else ("" included).
func ParseLevel(name string) (slog.Level, bool) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "debug":
		return slog.LevelDebug, true
	case "info":
		return slog.LevelInfo, true
	case "warn":
		return slog.LevelWarn, true
	case "error":
		return slog.LevelError, true
	}
	return slog.LevelInfo, false
}

// LevelName is the settings name of a level.
func LevelName(l slog.Level) string {
	switch {
	case l <= slog.LevelDebug:
		return "debug"
	case l <= slog.LevelInfo:
		return "info"
	case l <= slog.LevelWarn:
		return "warn"
	}
	return "error"
}

// Log is an open log file.
type Log struct {
	Path   string // the current file
	level  slog.LevelVar
	out    *closable
	logger *slog.Logger
}

// Open starts logging into dataDir/logs/kessaidesk.log at level info.
func Open(dataDir string) (*Log, error) { return open(dataDir, MaxSizeMB, MaxBackups) }

func open(dataDir string, maxMB, backups int) (*Log, error) {
	dir := filepath.Join(dataDir, Dir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	path := filepath.Join(dir, File)
	lj := &lumberjack.Logger{Filename: path, MaxSize: maxMB, MaxBackups: backups}
	return newLog(path, lj), nil
}

func newLog(path string, w io.WriteCloser) *Log {
	l := &Log{Path: path, out: &closable{w: w}}
	l.logger = slog.New(slog.NewJSONHandler(l.out, &slog.HandlerOptions{Level: &l.level, ReplaceAttr: redact}))
	return l
}

// Logger is where to write. Nil-safe: a nil Log gives a logger that discards.
func (l *Log) Logger() *slog.Logger {
	if l == nil {
		return Discard
	}
	return l.logger
}

// SetLevel changes the level of every logger of this Log at once.
func (l *Log) SetLevel(level slog.Level) { l.level.Set(level) }

// Level is the current level.
func (l *Log) Level() slog.Level { return l.level.Level() }

// Close flushes and closes the file. Records logged after Close (a request finishing
// late) are dropped rather than opening the file again.
func (l *Log) Close() error {
	if l == nil {
		return nil
	}
	return l.out.Close()
}

// Discard is a logger that writes nothing (services built without a log: tests).
var Discard = slog.New(slog.DiscardHandler)

// Or returns l, or Discard when l is nil.
func Or(l *slog.Logger) *slog.Logger {
	if l == nil {
		return Discard
	}
	return l
}

// closable serialises writes and drops them once closed.
type closable struct {
	mu     sync.Mutex
	w      io.WriteCloser
	closed bool
}

func (c *closable) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return len(p), nil
	}
	return c.w.Write(p)
}

func (c *closable) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil
	}
	c.closed = true
	return c.w.Close()
}

// secretWords are parts of attribute keys whose values are never written.
var secretWords = []string{"pass", "secret", "key", "token", "cert", "hash"}

// redact blanks the value of an attribute whose key names a secret.
func redact(_ []string, a slog.Attr) slog.Attr {
	k := strings.ToLower(a.Key)
	for _, w := range secretWords {
		if strings.Contains(k, w) {
			return slog.String(a.Key, "[redacted]")
		}
	}
	return a
}

// With returns a context that carries attrs for the records written about work done
// with it (the order a gateway request is for); Attrs gives them back.
func With(ctx context.Context, attrs ...slog.Attr) context.Context {
	prev := Attrs(ctx)
	all := make([]slog.Attr, 0, len(prev)+len(attrs))
	return context.WithValue(ctx, ctxKey{}, append(append(all, prev...), attrs...))
}

// Attrs are the attributes With put in ctx.
func Attrs(ctx context.Context) []slog.Attr {
	attrs, _ := ctx.Value(ctxKey{}).([]slog.Attr)
	return attrs
}

type ctxKey struct{}
