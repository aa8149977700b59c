package gateways

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"

	"kessaidesk/backend"
	"kessaidesk/backend/vault"
)

type lockedKeychain struct{ backend.Vault }

func (lockedKeychain) Get(string) (string, error) {
	return "", backend.Errorf(backend.ECREDENTIAL, "OSのキーチェーンを使えません（ロックされています）", "the OS keychain is locked")
}

// "The keychain cannot be used" and "the secret is not in the keychain" are different
// messages: only the second asks the operator to type the secret.
func TestMissingSecretAndUnusableKeychainSayDifferentThings(t *testing.T) {
	p := &backend.GatewayProfile{ID: 7, Name: "GMO-PG 本番", Kind: backend.GatewayGMO, Environment: backend.EnvProduction, MerchantID: "tshop00000001"}
	_, err := (&Factory{Vault: vault.NewMemory()}).Gateway(context.Background(), p)
	assert.Equal(t, backend.ECREDENTIAL, backend.ErrorCode(err))
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "入力してください")

	_, err = (&Factory{Vault: lockedKeychain{}}).Gateway(context.Background(), p)
	assert.Equal(t, backend.ECREDENTIAL, backend.ErrorCode(err))
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "ロックされています")
	assert.NotContains(t, backend.ErrorMessage(err, "ja"), "入力してください", "not a request to type it again")
}
