package paygent

import (
	"context"
	"encoding/json"

	"kessaidesk/backend"
)

var _ backend.ChangeFeed = (*Client)(nil)

// Changes is the 091 difference inquiry as a backend.ChangeFeed. The cursor is the
// NoticeCursor as JSON (the highest notice id and the ids still missing).
func (c *Client) Changes(ctx context.Context, cursor string) (*backend.ChangeBatch, error) {
	var cur NoticeCursor
	if cursor != "" {
		if err := json.Unmarshal([]byte(cursor), &cur); err != nil {
			return nil, backend.Errorf(backend.EINTERNAL, "差分照会の位置情報が読めません", "cannot read the difference-inquiry cursor")
		}
	}
	run, err := c.FetchNotices(ctx, cur, NoticeOptions{})
	if run == nil {
		return nil, err
	}
	b, _ := json.Marshal(run.Cursor)
	batch := &backend.ChangeBatch{Cursor: string(b), Complete: !run.Purged && err == nil, Requests: run.Calls}
	for _, n := range run.Notices {
		batch.Changes = append(batch.Changes, backend.Change{GatewayOrderID: n.TradingID, GatewayTranID: n.PaymentID, View: n.View()})
	}
	return batch, err
}
