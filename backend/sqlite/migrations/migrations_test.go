package migrations

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every schema step exists for both engines, under the same name: a change made for
// SQLite only (or PostgreSQL only) fails here.
func TestEveryStepHasBothDialects(t *testing.T) {
	lite, err := SQLite()
	require.NoError(t, err)
	pg, err := Postgres()
	require.NoError(t, err)
	require.NotEmpty(t, lite)
	names := func(ms []Migration) []string {
		var out []string
		for _, m := range ms {
			out = append(out, m.Name)
		}
		return out
	}
	assert.Equal(t, names(lite), names(pg), "each NNNN_name.sql needs its NNNN_name.pgsql beside it (and the reverse)")
	for _, m := range pg {
		assert.NotEmpty(t, m.SQL, m.Name)
	}
}
