module kessaidesk

go 1.26.0

require (
	github.com/mattn/go-sqlite3 v1.14.53
	github.com/stretchr/testify v1.12.1
	golang.org/x/text v0.44.0
)

require go.yaml.in/yaml/v3 v3.0.5 // indirect

// replace github.com/wailsapp/wails/v2 v2.16.0 => /root/go/pkg/mod
