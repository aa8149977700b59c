package gwhttp_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/gwhttp"
)

// Every exchange is logged once, with the parsed outcome, and never with the body,
// a header or the URL's password.
func TestExchangeLogsOneSummaryWithoutSecrets(t *testing.T) {
	status := http.StatusOK
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(status)
		w.Write([]byte("ErrCode=E01&answerSecret=" + bodySecret))
	}))
	defer srv.Close()
	var buf bytes.Buffer
	c := newClient(5 * time.Second)
	c.Log = slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))

	ctx := gwhttp.ForTransaction(context.Background(), "100268", "ACC1")
	send := func(read func([]byte) error) error {
		u := strings.Replace(srv.URL, "://", "://user:"+urlPassword+"@", 1) + "/api"
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, strings.NewReader("secret="+bodySecret))
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+authSecret)
		return c.Exchange(req, "AlterTran", read)
	}
	require.NoError(t, send(func([]byte) error { return nil }))
	refused := &backend.Error{Code: backend.EGATEWAY, Class: backend.ClassPermanent, GatewayCode: "E01", Message: "拒否", MessageEn: "refused"}
	require.ErrorIs(t, send(func([]byte) error { return refused }), refused)
	status = http.StatusInternalServerError
	require.Error(t, send(func([]byte) error { t.Fatal("read is not called without a 200 answer"); return nil }))
	status = http.StatusOK
	require.Error(t, send(func([]byte) error { return errors.New("plain") }))

	text := buf.String()
	for _, secret := range []string{urlPassword, authSecret, bodySecret} {
		assert.NotContains(t, text, secret)
	}
	lines := strings.Split(strings.TrimSpace(text), "\n")
	require.Len(t, lines, 4, "one line per exchange")
	recs := make([]map[string]any, len(lines))
	for i, l := range lines {
		require.NoError(t, json.Unmarshal([]byte(l), &recs[i]))
		assert.Equal(t, "AlterTran", recs[i]["op"])
		assert.Equal(t, "TestPay", recs[i]["gateway"])
		assert.Equal(t, "100268", recs[i]["order"])
		assert.Equal(t, "ACC1", recs[i]["tran"])
		assert.Contains(t, recs[i], "duration_ms")
	}
	assert.Equal(t, "INFO", recs[0]["level"])
	assert.Equal(t, "ok", recs[0]["result"])
	assert.EqualValues(t, 200, recs[0]["http_status"])
	assert.Equal(t, "WARN", recs[1]["level"])
	assert.Equal(t, backend.EGATEWAY, recs[1]["result"])
	assert.Equal(t, "E01", recs[1]["gateway_code"])
	assert.Equal(t, "refused", recs[1]["error"])
	assert.EqualValues(t, 500, recs[2]["http_status"])
	assert.Equal(t, "HTTP 500", recs[2]["gateway_code"])
	assert.Equal(t, "error", recs[3]["result"])
}
