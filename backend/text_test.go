package backend

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

type plainNotifier struct{ got []string }

func (p *plainNotifier) Emit(string, any)          {}
func (p *plainNotifier) Notify(title, body string) { p.got = append(p.got, title+": "+body) }

type bothNotifier struct {
	plainNotifier
	texts []Text
}

func (b *bothNotifier) NotifyText(title, body Text) { b.texts = append(b.texts, title, body) }

func TestAnnounceGivesEnglishToANotifierThatShowsIt(t *testing.T) {
	title, body := Text{Ja: "入金を確認しました", En: "Deposits received"}, Textf("%d件", "%d deposits", 3)

	both := &bothNotifier{}
	Announce(both, title, body)
	assert.Equal(t, []Text{title, {Ja: "3件", En: "3 deposits"}}, both.texts)
	assert.Empty(t, both.got, "not shown twice")

	plain := &plainNotifier{}
	Announce(plain, title, body)
	assert.Equal(t, []string{"入金を確認しました: 3件"}, plain.got)
}

func TestTextInFallsBackToJapanese(t *testing.T) {
	assert.Equal(t, "Stop shipping", Text{Ja: "出荷を止めてください", En: "Stop shipping"}.In("en"))
	assert.Equal(t, "出荷を止めてください", Text{Ja: "出荷を止めてください", En: "Stop shipping"}.In("ja"))
	assert.Equal(t, "出荷を止めてください", Text{Ja: "出荷を止めてください"}.In("en"))
	e := ErrorText(Errorf(EOFFLINE, "接続できません", "Cannot connect"))
	assert.Equal(t, Text{Ja: "接続できません", En: "Cannot connect"}, e)
}

func TestLinkRuleAndGatewayInEnglish(t *testing.T) {
	r := LinkRule{Prefix: "KD", RetrySuffixes: true}
	assert.Equal(t, "KD{注文番号}（例: KD100123）、見つからなければ -1〜-9 の再決済番号も照会", r.Describe("100123"))
	assert.Equal(t, "KD{order number} (e.g. KD100123); when not found, the retry numbers -1 to -9 are asked too", r.DescribeEn("100123"))
	assert.Equal(t, "order number-time (e.g. 100123-20061530): linked from the console's transaction CSV or by hand", LinkRule{Timestamped: true}.DescribeEn("100123"))
	for _, g := range []GatewayKind{GatewayGMO, GatewaySGP, GatewaySBPS, GatewayPaygent} {
		assert.Regexp(t, `^[A-Za-z0-9 -]+$`, g.LabelEn(), "%s in English", g)
	}
	assert.Equal(t, "Paygent", GatewayPaygent.LabelEn())
}
