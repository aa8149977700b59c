package app

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The 受注一覧 pages by cursor through the bound method: next → after gives the page
// that follows, the same rows as page 2 by number.
func TestSearchPagesByCursor(t *testing.T) {
	_, o, _, _ := openDemo(t)
	first, err := o.Search(OrderSearch{PageSize: 20})
	require.NoError(t, err)
	require.Len(t, first.Rows, 20)
	require.NotEmpty(t, first.Next)
	second, err := o.Search(OrderSearch{PageSize: 20, After: first.Next})
	require.NoError(t, err)
	byNumber, err := o.Search(OrderSearch{PageSize: 20, Page: 2})
	require.NoError(t, err)
	assert.Equal(t, byNumber.Rows, second.Rows)

	all, err := o.Search(OrderSearch{PageSize: 500})
	require.NoError(t, err)
	assert.Empty(t, all.Next, "the last page has no next")
}
