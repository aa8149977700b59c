package backend

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func jst(y int, m time.Month, d, hh, mm int) time.Time { return time.Date(y, m, d, hh, mm, 0, 0, JST) }

// GMO-PG dates a cancel from the transaction's latest processing date (ProcessDate,
// the TranDate GMO's own module stores after every AUTH, SALES and ChangeTran;
// gmo-mulpay.md §4): the same JST day → 取消 (VOID); the same month → 返品 (RETURN); a
// later month → 月跨返品 (RETURNX), except an authorisation never captured → RETURN; more
// than 180 days → nothing at the card company.
func TestChooseCancelGMOAcrossDates(t *testing.T) {
	cases := []struct {
		name      string
		state     PaymentState
		auth      time.Time // the authorisation, which must not decide by itself
		processed time.Time // the gateway's latest processing date
		now       time.Time
		want      OpKind
		manual    bool
	}{
		{"auth, same day", StateAuthorized, jst(2026, 11, 10, 9, 0), jst(2026, 11, 10, 9, 0), jst(2026, 11, 10, 23, 59), OpVoid, false},
		{"auth, next day", StateAuthorized, jst(2026, 11, 10, 9, 0), jst(2026, 11, 10, 9, 0), jst(2026, 11, 11, 0, 0), OpReturn, false},
		// 23:59 JST on the 10th is 14:59 UTC on the 10th; 00:00 JST on the 11th is 15:00 UTC on the 10th:
		// the same UTC day, different JST days.
		{"processed 23:59 JST, cancel 00:00 JST", StateAuthorized, jst(2026, 11, 10, 23, 59), jst(2026, 11, 10, 23, 59), jst(2026, 11, 11, 0, 0), OpReturn, false},
		{"processed 00:00 JST, cancel 23:59 JST same day", StateAuthorized, jst(2026, 11, 10, 0, 0), jst(2026, 11, 10, 0, 0), jst(2026, 11, 10, 23, 59), OpVoid, false},
		{"auth, later month: uncaptured is RETURN", StateAuthorized, jst(2026, 10, 20, 9, 0), jst(2026, 10, 20, 9, 0), jst(2026, 11, 2, 9, 0), OpReturn, false},
		{"auth changed today (ChangeTran AUTH): VOID", StateAuthorized, jst(2026, 11, 1, 9, 0), jst(2026, 11, 10, 8, 0), jst(2026, 11, 10, 18, 0), OpVoid, false},
		{"authorised yesterday, captured today: VOID", StateCaptured, jst(2026, 11, 9, 9, 0), jst(2026, 11, 10, 15, 0), jst(2026, 11, 10, 18, 0), OpVoid, false},
		{"captured yesterday, amount changed today: VOID", StateCaptured, jst(2026, 11, 8, 9, 0), jst(2026, 11, 10, 11, 0), jst(2026, 11, 10, 12, 0), OpVoid, false},
		{"captured, later day, same month", StateCaptured, jst(2026, 11, 10, 9, 0), jst(2026, 11, 12, 9, 0), jst(2026, 11, 30, 23, 59), OpReturn, false},
		{"captured, month boundary 23:59 → 00:00 JST", StateCaptured, jst(2026, 11, 10, 9, 0), jst(2026, 11, 30, 23, 59), jst(2026, 12, 1, 0, 0), OpReturnX, false},
		{"captured, year boundary", StateCaptured, jst(2026, 12, 28, 9, 0), jst(2026, 12, 31, 23, 0), jst(2027, 1, 1, 0, 30), OpReturnX, false},
		{"sale last month, amount changed this month: RETURN", StateCaptured, jst(2026, 10, 28, 9, 0), jst(2026, 11, 3, 9, 0), jst(2026, 11, 20, 9, 0), OpReturn, false},
		{"partially refunded, later month", StatePartiallyRefunded, jst(2026, 9, 10, 9, 0), jst(2026, 9, 12, 9, 0), jst(2026, 11, 1, 9, 0), OpReturnX, false},
		{"180 days is still allowed", StateCaptured, jst(2026, 5, 20, 9, 0), jst(2026, 5, 28, 9, 0), jst(2026, 11, 24, 9, 0), OpReturnX, false},
		{"181 days: refund by bank transfer", StateCaptured, jst(2026, 5, 20, 9, 0), jst(2026, 5, 27, 9, 0), jst(2026, 11, 24, 9, 0), "", true},
		{"181 days uncaptured: lapsed, order only", StateAuthorized, jst(2026, 5, 27, 9, 0), jst(2026, 5, 27, 9, 0), jst(2026, 11, 24, 9, 0), "", false},
		{"expired authorisation: still released at GMO", StateExpired, jst(2026, 8, 1, 9, 0), jst(2026, 8, 1, 9, 0), jst(2026, 11, 24, 9, 0), OpReturn, false},
		{"capture failed, same day as the auth", StateCaptureFailed, jst(2026, 11, 10, 9, 0), jst(2026, 11, 10, 9, 0), jst(2026, 11, 10, 20, 0), OpVoid, false},
	}
	for _, gw := range []GatewayKind{GatewayGMO, GatewaySGP} {
		for _, c := range cases {
			t.Run(string(gw)+"/"+c.name, func(t *testing.T) {
				p := &Payment{Gateway: gw, Method: MethodCard, State: c.state, AuthorizedAt: c.auth.UTC(), ProcessedAt: c.processed.UTC()}
				ch, err := ChooseCancel(p, c.now.UTC())
				require.NoError(t, err)
				assert.Equal(t, c.want, ch.Kind)
				assert.Equal(t, c.manual, ch.ManualRefund)
				assert.NotEmpty(t, ch.Reason)
			})
		}
	}
}

// Without the gateway's processing date the choice is not made (a zero date is never
// a date): the engine asks the gateway first.
func TestChooseCancelGMOWithoutTheProcessingDateRefusesToGuess(t *testing.T) {
	for _, st := range []PaymentState{StateAuthorized, StateCaptured, StateExpired} {
		p := &Payment{Gateway: GatewayGMO, Method: MethodCard, State: st, AuthorizedAt: jst(2026, 11, 1, 9, 0)}
		_, err := ChooseCancel(p, jst(2026, 11, 10, 9, 0))
		assert.Equal(t, ECONFLICT, ErrorCode(err), st)
	}
}

func TestChooseCancelSBPSAndPaygent(t *testing.T) {
	auth := jst(2026, 11, 10, 9, 0).UTC()
	cases := []struct {
		name   string
		gw     GatewayKind
		state  PaymentState
		sale   time.Time
		now    time.Time
		want   OpKind
		manual bool
	}{
		{"SBPS before capture: 与信取消, even next month", GatewaySBPS, StateAuthorized, time.Time{}, jst(2026, 12, 2, 0, 0), OpVoid, false},
		{"SBPS after capture: 返金", GatewaySBPS, StateCaptured, jst(2026, 11, 12, 9, 0), jst(2026, 11, 12, 10, 0), OpRefund, false},
		{"SBPS refund until the end of the 3rd month", GatewaySBPS, StateCaptured, jst(2026, 11, 12, 9, 0), jst(2027, 2, 28, 23, 59), OpRefund, false},
		{"SBPS after that: bank transfer", GatewaySBPS, StateCaptured, jst(2026, 11, 12, 9, 0), jst(2027, 3, 1, 0, 0), "", true},
		{"Paygent before capture: オーソリ取消", GatewayPaygent, StateAuthorized, time.Time{}, jst(2026, 12, 20, 9, 0), OpVoid, false},
		{"Paygent after capture: 売上取消", GatewayPaygent, StateCaptured, jst(2026, 11, 12, 9, 0), jst(2027, 1, 11, 9, 0), OpRefund, false},
		{"Paygent after 60 days: bank transfer", GatewayPaygent, StateCaptured, jst(2026, 11, 12, 9, 0), jst(2027, 1, 12, 9, 0), "", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := &Payment{Gateway: c.gw, Method: MethodCard, State: c.state, AuthorizedAt: auth}
			if !c.sale.IsZero() {
				p.CapturedAt = c.sale.UTC()
			}
			ch, err := ChooseCancel(p, c.now.UTC())
			require.NoError(t, err)
			assert.Equal(t, c.want, ch.Kind)
			assert.Equal(t, c.manual, ch.ManualRefund)
		})
	}
}

func TestChooseCancelOtherStates(t *testing.T) {
	now := jst(2026, 11, 24, 9, 0)
	ch, err := ChooseCancel(&Payment{Gateway: GatewayGMO, Method: MethodKonbini, State: StateAwaitingDeposit}, now)
	require.NoError(t, err)
	assert.Equal(t, OpStopPayment, ch.Kind)

	ch, err = ChooseCancel(&Payment{Gateway: GatewayPaygent, Method: MethodKonbini, State: StateAwaitingDeposit}, now)
	require.NoError(t, err)
	assert.Equal(t, OpKind(""), ch.Kind, "nothing to send; the slip expires by itself")

	ch, err = ChooseCancel(&Payment{Gateway: GatewayGMO, Method: MethodPayEasy, State: StateDeposited}, now)
	require.NoError(t, err)
	assert.True(t, ch.ManualRefund)

	ch, err = ChooseCancel(&Payment{Gateway: GatewaySBPS, Method: MethodCard, State: StateReserved}, now)
	require.NoError(t, err)
	assert.Equal(t, OpKind(""), ch.Kind)

	_, err = ChooseCancel(&Payment{Gateway: GatewayGMO, Method: MethodCard, State: StateVoided}, now)
	assert.Equal(t, ECONFLICT, ErrorCode(err))
	_, err = ChooseCancel(&Payment{Gateway: GatewayGMO, Method: MethodCard, State: StateNeedsReview}, now)
	assert.Equal(t, ECONFLICT, ErrorCode(err))
}
