package csvimport

import (
	"io"
	"os"

	"kessaidesk/backend"
)

// FileInfo is what the import screen shows before a layout is chosen.
type FileInfo struct {
	Encoding Encoding   `json:"encoding"` // detected (or the one asked for)
	Header   []string   `json:"header"`   // the columns as a layout addresses them ("送料#2")
	Sample   [][]string `json:"sample"`   // the first rows, for picking columns
	Suggest  string     `json:"suggest"`  // the preset whose columns match best ("" when none)
}

// Inspect reads a file's header and first rows (sampleRows of them).
func Inspect(path string, enc Encoding, sampleRows int) (*FileInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, backend.Errorf(backend.ENOTFOUND, "ファイル %s を開けません", "cannot open %s", path)
	}
	defer f.Close()
	if enc == EncodingAuto {
		if enc, err = Detect(f); err != nil {
			return nil, err
		}
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return nil, err
		}
	}
	rd, err := NewReader(f, enc)
	if le, ok := err.(*LineError); ok {
		return nil, le.AsError()
	}
	if err != nil {
		return nil, err
	}
	info := &FileInfo{Encoding: enc, Header: ColumnNames(rd.Header()), Suggest: Suggest(rd.Header())}
	for len(info.Sample) < sampleRows {
		rec, _, err := rd.Next()
		if err == io.EOF {
			break
		}
		if le, ok := err.(*LineError); ok && le.Fatal {
			break
		}
		info.Sample = append(info.Sample, rec)
	}
	return info, nil
}
