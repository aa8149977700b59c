package csvimport

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"strings"

	"kessaidesk/backend"
)

// The presets are data: one small JSON file per back office, so a wrong column name
// is a one-line fix.
//
//go:embed presets/*.json
var presetFS embed.FS

// presetOrder is the order the window lists them in.
var presetOrder = []string{"eccube4", "eccube2", "futureshop", "makeshop", "kessaidesk"}

var presets = func() map[string]Layout {
	out := map[string]Layout{}
	for _, name := range presetOrder {
		b, err := presetFS.ReadFile(path.Join("presets", name+".json"))
		if err != nil {
			panic(err)
		}
		var l Layout
		if err := json.Unmarshal(b, &l); err != nil {
			panic(fmt.Sprintf("preset %s: %v", name, err))
		}
		l.Builtin = true
		out[name] = l
	}
	return out
}()

// KessaiDesk is the name of our own layout (what CSV出力 writes).
const KessaiDesk = "kessaidesk"

// Presets returns the builtin layouts (copies: changing one changes nothing here).
func Presets() []Layout {
	out := make([]Layout, 0, len(presetOrder))
	for _, name := range presetOrder {
		out = append(out, presets[name].clone())
	}
	return out
}

// Preset returns a builtin layout by name.
func Preset(name string) (Layout, bool) {
	l, ok := presets[name]
	return l.clone(), ok
}

func (l Layout) clone() Layout {
	b, _ := json.Marshal(l)
	var c Layout
	json.Unmarshal(b, &c)
	c.Builtin = l.Builtin
	return c
}

// Suggest names the preset whose columns best match a header ("" when none has the
// columns it needs).
func Suggest(header []string) string {
	names := map[string]bool{}
	for _, n := range ColumnNames(header) {
		names[n] = true
	}
	best, bestFound, bestTotal := "", 0, 1
	for _, name := range presetOrder {
		l := presets[name]
		if _, err := compile(&l, header, nil, nil); err != nil {
			continue
		}
		found, total := 0, 0
		for _, c := range l.Fields {
			for _, col := range c.Columns {
				total++
				for _, alt := range strings.Split(col, "|") {
					if names[alt] {
						found++
						break
					}
				}
			}
		}
		// The larger share of its columns found (found/total > bestFound/bestTotal,
		// compared without division).
		if total > 0 && found*bestTotal > bestFound*total {
			best, bestFound, bestTotal = name, found, total
		}
	}
	return best
}

// LayoutStore keeps the operator's layouts in the settings table.
type LayoutStore interface {
	Setting(ctx context.Context, key string) (string, error)
	SetSetting(ctx context.Context, key, value string) error
	SettingsWithPrefix(ctx context.Context, prefix string) (map[string]string, error)
	DeleteSetting(ctx context.Context, key string) error
}

const layoutKey = "import.layout."

// Layouts lists the presets (with the operator's edits applied) and then the
// operator's own layouts, by label.
func Layouts(ctx context.Context, st LayoutStore) ([]Layout, error) {
	saved, err := st.SettingsWithPrefix(ctx, layoutKey)
	if err != nil {
		return nil, err
	}
	var out, own []Layout
	for _, name := range presetOrder {
		l := presets[name].clone()
		if v, ok := saved[layoutKey+name]; ok {
			if l, err = decodeSaved(v); err != nil {
				return nil, err
			}
		}
		out = append(out, l)
	}
	for k, v := range saved {
		if _, builtin := presets[strings.TrimPrefix(k, layoutKey)]; builtin {
			continue
		}
		l, err := decodeSaved(v)
		if err != nil {
			return nil, err
		}
		own = append(own, l)
	}
	sort.Slice(own, func(i, j int) bool { return own[i].Label < own[j].Label })
	return append(out, own...), nil
}

// FindLayout returns a layout by name: the operator's, or a preset with the
// operator's edits.
func FindLayout(ctx context.Context, st LayoutStore, name string) (Layout, error) {
	v, err := st.Setting(ctx, layoutKey+name)
	if err != nil {
		return Layout{}, err
	}
	if v != "" {
		return decodeSaved(v)
	}
	if l, ok := Preset(name); ok {
		return l, nil
	}
	return Layout{}, backend.Errorf(backend.ENOTFOUND, "取込レイアウト「%s」はありません", "no import layout named %q", name)
}

// SaveLayout saves the operator's layout by name. Saved under a preset's name it is
// an edit of that preset (Base): its word maps and fields are laid over the preset's,
// and DeleteLayout restores the preset.
func SaveLayout(ctx context.Context, st LayoutStore, l Layout) error {
	l.Name = strings.TrimSpace(l.Name)
	if _, builtin := presets[l.Name]; builtin {
		l.Base = l.Name
	}
	if l.Base != "" && l.Base != l.Name {
		return backend.Errorf(backend.EINVALID, "プリセットの編集はプリセットと同じ名前で保存します", "an edit of a preset is saved under the preset's name")
	}
	if l.Label == "" && l.Base == "" {
		l.Label = l.Name
	}
	l.Builtin = false
	resolved, err := resolveSaved(l)
	if err != nil {
		return err
	}
	if err := resolved.Check(); err != nil {
		return err
	}
	b, err := json.Marshal(l)
	if err != nil {
		return err
	}
	return st.SetSetting(ctx, layoutKey+l.Name, string(b))
}

// DeleteLayout removes the operator's layout, or its edit of a preset.
func DeleteLayout(ctx context.Context, st LayoutStore, name string) error {
	return st.DeleteSetting(ctx, layoutKey+name)
}

func decodeSaved(v string) (Layout, error) {
	var l Layout
	if err := json.Unmarshal([]byte(v), &l); err != nil {
		return Layout{}, backend.Errorf(backend.EINTERNAL, "保存された取込レイアウトが読めません: %v", "a saved import layout cannot be read: %v", err)
	}
	return resolveSaved(l)
}

// resolveSaved lays an edit of a preset over the preset.
func resolveSaved(l Layout) (Layout, error) {
	if l.Base == "" {
		return l, nil
	}
	base, ok := Preset(l.Base)
	if !ok {
		return Layout{}, backend.Errorf(backend.EINVALID, "プリセット「%s」はありません", "no preset named %q", l.Base)
	}
	base.Builtin, base.Base = false, l.Base
	if l.Label != "" {
		base.Label = l.Label
	}
	for id, c := range l.Fields {
		base.Fields[id] = c
	}
	base.Methods = overlay(base.Methods, l.Methods)
	base.Statuses = overlay(base.Statuses, l.Statuses)
	base.LineKinds = overlay(base.LineKinds, l.LineKinds)
	if l.TaxRounding != "" {
		base.TaxRounding = l.TaxRounding
	}
	return base, nil
}

func overlay[V any](base, over map[string]V) map[string]V {
	if base == nil {
		base = map[string]V{}
	}
	for k, v := range over {
		base[k] = v
	}
	return base
}
