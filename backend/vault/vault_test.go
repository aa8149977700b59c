package vault

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
)

func TestMemoryVault(t *testing.T) {
	v := NewMemory()
	_, err := v.Get("p1/shop_pass")
	assert.Equal(t, backend.ENOTFOUND, backend.ErrorCode(err))
	require.NoError(t, v.Set("p1/shop_pass", "秘密pass"))
	s, err := v.Get("p1/shop_pass")
	require.NoError(t, err)
	assert.Equal(t, "秘密pass", s)
	require.NoError(t, v.Delete("p1/shop_pass"))
	require.NoError(t, v.Delete("p1/shop_pass"))
	assert.Empty(t, v.Keys())
}
