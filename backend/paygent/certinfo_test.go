package paygent_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/paygent"
	"kessaidesk/backend/paygent/paygentsim"
)

func TestReadCertificateSaysWhoseAndUntilWhen(t *testing.T) {
	pki, err := paygentsim.NewPKI("test CA")
	require.NoError(t, err)
	end := time.Date(2027, 3, 31, 15, 0, 0, 0, time.UTC)
	cert, key, err := pki.IssueClient(paygentsim.ClientSpec{CommonName: "12345", NotAfter: end})
	require.NoError(t, err)
	now := time.Date(2027, 3, 10, 12, 0, 0, 0, backend.JST)
	info, err := paygent.ReadCertificate(append(cert, key...), "", now)
	require.NoError(t, err)
	assert.Equal(t, "12345", info.Subject)
	assert.True(t, info.NotAfter.Equal(end))

	_, err = paygent.ReadCertificate(cert, "", now)
	assert.Equal(t, backend.ECREDENTIAL, backend.ErrorCode(err), "no key")
	_, err = paygent.ReadCertificate(append(cert, key...), "", end.Add(time.Hour))
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "有効期限が切れています")
}
