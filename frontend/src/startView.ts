// The screen a script asked the window to open on: KESSAIDESK_START_VIEW, passed by Go in
// Info.startView (app/start.go), so that build/scripts/screenshots.sh photographs every
// screen of the real window without a browser driver. Read once at start; without it the
// window opens as always.
export type StartView =
  | { screen: 'home' | 'import' }
  | { screen: 'orders'; quick: string } // the quick search box, submitted
  | { screen: 'order'; orderNo: string; action: string } // 受注詳細; action: the dialog opened on its payment
  | { screen: 'work' | 'reports' | 'settings'; tab: string } // the list, 売上集計 tab or 設定 section

const screens = ['home', 'import', 'orders', 'order', 'work', 'reports', 'settings']

// parseStartView reads "orders:100200~100260", "order:100250:capture", "settings:backup"…;
// null for nothing or an unknown screen.
export function parseStartView(s: string | undefined): StartView | null {
  const text = (s ?? '').trim()
  const colon = text.indexOf(':')
  const screen = colon < 0 ? text : text.slice(0, colon)
  const arg = colon < 0 ? '' : text.slice(colon + 1).trim()
  if (!screens.includes(screen)) return null
  switch (screen) {
    case 'home': case 'import':
      return { screen }
    case 'orders':
      return { screen, quick: arg }
    case 'order': {
      const [orderNo, action = ''] = arg.split(':')
      return orderNo ? { screen, orderNo, action } : null
    }
    default:
      return { screen: screen as 'work' | 'reports' | 'settings', tab: arg }
  }
}
