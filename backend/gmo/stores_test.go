package gmo

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestEveryConvenienceStoreHasItsEnglishName(t *testing.T) {
	for code := range convenienceNames {
		assert.NotEqual(t, code, ConvenienceNameEn(code), "store code %s", code)
	}
	assert.Equal(t, "Lawson", ConvenienceNameEn("10001"))
	assert.Equal(t, "ローソン", ConvenienceName("10001"))
	assert.Equal(t, "99999", ConvenienceNameEn("99999"), "an unknown code shows as itself")
}
