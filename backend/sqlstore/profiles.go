package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"kessaidesk/backend"
)

const profileColumns = `id, name, kind, demo, environment, host, merchant_id, sub_id, methods, auth_expiry_days,
	fee_per_operation, auto_capture, created_at, updated_at, link_rule, sales_cancel_from, sales_cancel_days`

func scanProfile(sc interface{ Scan(...any) error }) (*backend.GatewayProfile, error) {
	p := &backend.GatewayProfile{}
	var kind, env, methods, rule, cancelFrom string
	var demo, auto int
	var created, updated int64
	if err := sc.Scan(&p.ID, &p.Name, &kind, &demo, &env, &p.Host, &p.MerchantID, &p.SubID, &methods,
		&p.AuthExpiryDays, &p.FeePerOperation, &auto, &created, &updated, &rule, &cancelFrom, &p.SalesCancel.Days); err != nil {
		return nil, err
	}
	if rule != "" {
		if err := json.Unmarshal([]byte(rule), &p.LinkRule); err != nil {
			return nil, fmt.Errorf("profile %d: link rule: %w", p.ID, err)
		}
	}
	p.Kind, p.Environment, p.Demo, p.AutoCapture = backend.GatewayKind(kind), backend.Environment(env), demo == 1, auto == 1
	p.SalesCancel.From = backend.CancelFrom(cancelFrom)
	for _, m := range strings.Split(methods, ",") {
		if m != "" {
			p.Methods = append(p.Methods, backend.PaymentMethod(m))
		}
	}
	p.CreatedAt, p.UpdatedAt = fromMS(created), fromMS(updated)
	return p, nil
}

// Profiles lists the gateway profiles, the demo first.
func (db *Core) Profiles(ctx context.Context) ([]*backend.GatewayProfile, error) {
	rows, err := db.Read().Query(ctx, `SELECT `+profileColumns+` FROM gateway_profiles ORDER BY demo DESC, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*backend.GatewayProfile
	for rows.Next() {
		p, err := scanProfile(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// ProfileByID returns one profile.
func (db *Core) ProfileByID(ctx context.Context, id int64) (*backend.GatewayProfile, error) {
	p, err := scanProfile(db.Read().Row(ctx, `SELECT `+profileColumns+` FROM gateway_profiles WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, backend.Errorf(backend.ENOTFOUND, "ゲートウェイ設定 (ID %d) は見つかりません", "gateway profile %d was not found", id)
	}
	return p, err
}

// SaveProfile inserts (ID 0) or updates a profile.
func (db *Core) SaveProfile(ctx context.Context, p *backend.GatewayProfile) error {
	now := db.now()
	if p.CreatedAt.IsZero() {
		p.CreatedAt = now
	}
	p.UpdatedAt = now
	methods := make([]string, len(p.Methods))
	for i, m := range p.Methods {
		methods[i] = string(m)
	}
	vals := []any{p.Name, string(p.Kind), boolInt(p.Demo), string(p.Environment), p.Host, p.MerchantID, p.SubID,
		strings.Join(methods, ","), p.AuthExpiryDays, p.FeePerOperation, boolInt(p.AutoCapture), ms(p.CreatedAt), ms(p.UpdatedAt),
		linkRuleJSON(p.LinkRule), string(p.SalesCancel.From), p.SalesCancel.Days}
	const cols = `name, kind, demo, environment, host, merchant_id, sub_id, methods, auth_expiry_days,
		fee_per_operation, auto_capture, created_at, updated_at, link_rule, sales_cancel_from, sales_cancel_days`
	var err error
	if p.ID == 0 {
		p.ID, err = db.Write().ID(ctx, `INSERT INTO gateway_profiles (`+cols+`) VALUES (`+placeholders(len(vals))+`)`, vals...)
	} else {
		_, err = db.Write().Exec(ctx, `UPDATE gateway_profiles SET (`+cols+`) = (`+placeholders(len(vals))+`) WHERE id = ?`, append(vals, p.ID)...)
	}
	if db.d.UniqueViolation(err) {
		return backend.Errorf(backend.EINVALID, "「%s」という名前のゲートウェイ設定は既にあります", "a gateway profile named %q already exists", p.Name)
	}
	return err
}

// DeleteProfile removes a profile. It refuses while payments still refer to it.
func (db *Core) DeleteProfile(ctx context.Context, id int64) error {
	return db.InTx(ctx, func(tx Q) error {
		var n int
		if err := tx.Row(ctx, `SELECT count(*) FROM payments WHERE profile_id = ?`, id).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return backend.Errorf(backend.ECONFLICT, "このゲートウェイ設定には %d 件の決済があるため削除できません", "%d payments use this gateway profile; it cannot be deleted", n)
		}
		_, err := tx.Exec(ctx, `DELETE FROM gateway_profiles WHERE id = ?`, id)
		return err
	})
}

// DeleteDemo removes the demo shop: its orders (with their payments, journal and
// キャンセル在庫) and the demo gateway profiles. Real data is untouched.
func (db *Core) DeleteDemo(ctx context.Context) error {
	return db.InTx(ctx, func(tx Q) error {
		if db.d.BeforeDeleteDemo != nil {
			if err := db.d.BeforeDeleteDemo(ctx, tx); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `DELETE FROM orders WHERE source = 'demo'`); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM payments WHERE profile_id IN (SELECT id FROM gateway_profiles WHERE demo = 1)`); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `DELETE FROM gateway_profiles WHERE demo = 1`)
		return err
	})
}

// Setting returns a setting, "" when unset.
func (db *Core) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := db.Read().Row(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

// SetSetting stores a setting.
func (db *Core) SetSetting(ctx context.Context, key, value string) error {
	_, err := db.Write().Exec(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	return err
}

// SettingsWithPrefix returns the settings whose key starts with prefix (saved import
// layouts: "import.layout.").
func (db *Core) SettingsWithPrefix(ctx context.Context, prefix string) (map[string]string, error) {
	rows, err := db.Read().Query(ctx, `SELECT key, value FROM settings WHERE substr(key, 1, length(CAST(? AS TEXT))) = ?`, prefix, prefix)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		out[k] = v
	}
	return out, rows.Err()
}

// DeleteSetting removes a setting (nothing when it is not set).
func (db *Core) DeleteSetting(ctx context.Context, key string) error {
	_, err := db.Write().Exec(ctx, `DELETE FROM settings WHERE key = ?`, key)
	return err
}

// DemoPresent reports whether the demo shop's orders or gateway profiles are here.
func (db *Core) DemoPresent(ctx context.Context) (bool, error) {
	var present bool
	err := db.Read().Row(ctx, `SELECT EXISTS (SELECT 1 FROM orders WHERE source = 'demo')
		OR EXISTS (SELECT 1 FROM gateway_profiles WHERE demo = 1)`).Scan(&present)
	return present, err
}

// linkRuleJSON stores a rule; the zero rule (the order number itself) is "".
func linkRuleJSON(r backend.LinkRule) string {
	if r == (backend.LinkRule{}) {
		return ""
	}
	b, _ := json.Marshal(r)
	return string(b)
}
