// A scriptable stand-in for the Go app layer in component tests: it records calls
// and answers with the shapes app/dto.go sends. Behaviour of the real backend is
// tested in Go and end to end; here we test what the UI sends and shows.
import { vi } from 'vitest'
import type { Api, ImportFileInfo, ImportLayout, ImportPreview, Label, LinkRow, OrderDetail, OrderRow, Overview, Payment, ProfileView, TxView } from '../api'

export const L = (code: string, ja: string, en = ja): Label => ({ code, ja, en })

export function payment(over: Partial<Payment> = {}): Payment {
  return {
    id: 11, gateway: 'gmo', gatewayLabel: 'GMO-PG', profileName: 'デモ (GMO-PG サンドボックス)', demo: true,
    method: L('card', 'クレジットカード決済', 'Credit card'), state: L('authorized', '仮売上', 'Authorised'),
    rawStatus: 'AUTH', gatewayOrderId: 'KD100001', gatewayTranId: 'abc', amountAuthorized: 12800, amountCaptured: 0,
    amountRefunded: 0, authorizedAt: '2026-11-24T09:00:00+09:00', capturedAt: '', authExpiresAt: '2027-02-22T09:00:00+09:00',
    authDaysLeft: 90, paymentDeadline: '', paidAt: '', lastSyncedAt: '', inFlight: false,
    actions: ['capture', 'change_amount', 'cancel'], operations: [], tax: 0, processedAt: '', review: null, version: 1, ...over,
  }
}

export function order(over: Partial<OrderDetail> = {}): OrderDetail {
  return {
    id: 1, orderNo: '100001', orderedAt: '2026-11-24T09:00:00+09:00', updatedAt: '2026-11-24T09:00:00+09:00',
    customerName: '山田 太郎', customerKana: 'ヤマダ タロウ', email: 'taro@example.jp', tel: '090-1234-5678',
    paymentMethod: L('card', 'クレジットカード決済', 'Credit card'),
    items: [{ productCode: 'TEA-01', productName: '煎茶 八十八夜', variant: '100g', unitPrice: 6400, quantity: 2, amount: 12800 }],
    subtotal: 12800, discount: 0, shipping: 0, fee: 0, pointsUsed: 0, total: 12800,
    status: L('new', '新規受付', 'New'), memo: '', demo: true, payments: [payment()], events: [], tax: 0, zip: '', address: '',
    shipName: '', shipZip: '', shipAddress: '', shipTel: '', deliveryMethod: '', trackingNo: '', link: null, ...over,
  }
}

export function row(over: Partial<OrderRow> = {}): OrderRow {
  return {
    id: 1, orderNo: '100001', orderedAt: '2026-11-24T09:00:00+09:00', updatedAt: '2026-11-24T09:00:00+09:00',
    customerName: '山田 太郎', customerKana: 'ヤマダ タロウ', paymentMethod: L('card', 'クレジットカード決済', 'Credit card'),
    total: 12800, status: L('new', '新規受付', 'New'), paymentId: 11, paymentState: L('authorized', '仮売上', 'Authorised'),
    gateway: 'gmo', authExpiresAt: '', authDaysLeft: 90, inFlight: false, demo: true, paymentVersion: 1, ...over,
  }
}

// The events a fake's onEvent subscribed to, by fake: emit() sends one to every subscriber.
const buses = new WeakMap<Api, Map<string, Set<(d: unknown) => void>>>()

// emit sends a Go event to what the window subscribed (the fake's own onEvent only).
export function emit(api: Api, name: string, data: unknown) {
  buses.get(api)?.get(name)?.forEach((cb) => cb(data))
}

export function fakeApi(over: Partial<Api> = {}): Api {
  const bus = new Map<string, Set<(d: unknown) => void>>()
  const api: Api = {
    options: vi.fn(async () => ({
      statuses: [L('new', '新規受付'), L('paid', '入金済み')],
      methods: [L('card', 'クレジットカード決済'), L('konbini', 'コンビニ決済')],
      paymentStates: [L('authorized', '仮売上'), L('captured', '実売上')],
    })),
    search: vi.fn(async (q) => ({ rows: [row()], total: 1, totalAtLeast: false, page: q.page, pageSize: q.pageSize, next: '' })),
    detail: vi.fn(async () => order()),
    setOrderStatus: vi.fn(async (_id, status) => order({ status: L(status, status) })),
    preview: vi.fn(async (_id, input) => ({
      intent: input.intent, orderOnly: false, manualRefund: 0, reason: '仮売上の 12,800円 を売上にします',
      steps: [{ kind: L('capture', '売上'), amount: 12800, reason: '' }], newStatus: L('paid', '入金済み'),
      paymentVersion: input.version || 1,
    })),
    run: vi.fn(async () => ({
      message: '売上が完了しました。対応状況を入金済みにしました',
      operation: {
        id: 1, kind: L('capture', '売上'), amount: 12800, state: L('succeeded', '成功'), requestedAt: '', respondedAt: '',
        gatewayCode: '', message: '', operator: 'オペレーター', reason: '', beforeState: L('authorized', '仮売上'), afterState: L('captured', '実売上'),
      },
      order: order({
        status: L('paid', '入金済み'),
        payments: [payment({ state: L('captured', '実売上'), amountCaptured: 12800, actions: ['cancel'] })],
      }),
    })),
    resolve: vi.fn(async () => { throw new Error('not scripted') }),
    recordOutcome: vi.fn(async () => { throw new Error('not scripted') }),
    addCandidates: vi.fn(async () => { throw new Error('not scripted') }),
    chooseCandidate: vi.fn(async () => { throw new Error('not scripted') }),
    info: vi.fn(async () => ({ version: 'test', dataDir: '/tmp/kd', database: '/tmp/kd/kessaidesk.db', demo: true, language: 'ja', operator: '', setupNeeded: false, databaseMode: 'local' as const })),
    setLanguage: vi.fn(async () => {}),
    about: vi.fn(async () => ({
      version: 'v1.2.3', buildDate: '2026-11-30T09:00:00Z', go: 'go1.26.8', platform: 'windows/amd64', dataDir: '/tmp/kd', logDir: '/tmp/kd/logs',
      logLevel: 'info', logLevels: ['debug', 'info', 'warn', 'error'],
      goModules: [{ name: 'github.com/mattn/go-sqlite3', version: 'v1.14.53', license: 'MIT', text: 'The MIT License (MIT)' }],
      npmPackages: [{ name: 'react', version: '19.3.1', license: 'MIT', text: 'MIT License' }],
    })),
    setLogLevel: vi.fn(async () => {}),
    openLogFolder: vi.fn(async () => {}),
    exportSupportBundle: vi.fn(async () => '/tmp/kessaidesk-support.zip'),
    setOperator: vi.fn(async () => {}),
    removeDemo: vi.fn(async () => {}),
    onEvent: vi.fn((name: string, cb: (d: unknown) => void) => {
      if (!bus.has(name)) bus.set(name, new Set())
      bus.get(name)!.add(cb)
      return () => { bus.get(name)?.delete(cb) }
    }),
    rules: vi.fn(async () => ({ syncIntervalMinutes: '5', netBankAutoCancel: false, staleProcessingMinutes: '60', recheckDays: '30' })),
    saveRules: vi.fn(async () => {}),
    backups: vi.fn(async () => ({ list: [], restorePending: '' })),
    backup: vi.fn(async () => ({ name: 'kessaidesk-20261124-090000.db', size: 1024, created: '2026-11-24T09:00:00+09:00' })),
    restore: vi.fn(async () => {}),
    restoreFromFile: vi.fn(async () => null),
    cancelRestore: vi.fn(async () => {}),
    saveBackupSettings: vi.fn(async () => {}),
    restoreNote: vi.fn(async () => null),
    dismissRestoreNote: vi.fn(async () => {}),
    restart: vi.fn(async () => {}),
    sharedStatus: vi.fn(async () => ({ mode: 'local' as const, database: '/tmp/kd/kessaidesk.db', form: null, hasPassword: false,
      offline: '', offlineEn: '', copyAt: '', operator: 'オペレーター', pc: 'PC-1' })),
    sharedTest: vi.fn(async () => ({ serverVersion: '15.8', tls: true, schema: 'empty', migrations: 0, orders: 0 })),
    sharedJoin: vi.fn(async () => ({ serverVersion: '15.8', tls: true, schema: 'current', migrations: 20, orders: 120 })),
    sharedMoveToServer: vi.fn(async () => ({ tables: [] })),
    sharedMoveToLocal: vi.fn(async () => ({ tables: [] })),
    sharedLeave: vi.fn(async () => {}),
    sharedChooseCAFile: vi.fn(async () => ''),
    syncRuns: vi.fn(async () => []),
    reportSales: vi.fn(async () => ({ periods: [], lines: [], perPeriod: [], total: { count: 0, gross: 0, refunded: 0, net: 0 } })),
    reportOutstanding: vi.fn(async () => ({ lines: [], bands: [], total: { code: 'total', count: 0, amount: 0 } })),
    reportDeposits: vi.fn(async () => ({ lines: [], bands: [], total: { code: 'total', count: 0, amount: 0 } })),
    reportFees: vi.fn(async (month: string) => ({ month, lines: [], billable: 0, unresolved: 0, total: 0 })),
    feeSchedules: vi.fn(async () => []),
    saveFeeSchedule: vi.fn(async () => {}),
    exportReport: vi.fn(async () => ({ path: '/tmp/report.csv', count: 1 })),
    workLists: vi.fn(async () => [
      { code: 'to_capture', ja: '売上待ち（与信期限の近い順）', en: 'To capture', count: 1 },
      { code: 'capture_failed', ja: '売上失敗', en: 'Capture failed', count: 0 },
    ]),
    workList: vi.fn(async () => [row()]),
    syncStatus: vi.fn(async () => ({ profiles: [{ profileId: 1, name: 'デモ (GMO-PG サンドボックス)', lastSuccess: '2026-11-24T09:00:00+09:00', offlineSince: '', lastError: '' }], drifts: 0 })),
    syncNow: vi.fn(async () => {}),
    drifts: vi.fn(async () => []),
    acceptGateway: vi.fn(async () => {}),
    pushOurs: vi.fn(async () => '完了しました'),
    holds: vi.fn(async () => []),
    cancelHeldOrder: vi.fn(async () => {}),
    keepHeldOrder: vi.fn(async () => {}),
    cancelStock: vi.fn(async () => []),
    markStockReturned: vi.fn(async () => {}),
    refundTasks: vi.fn(async () => []),
    completeRefundTask: vi.fn(async () => {}),
    fees: vi.fn(async () => []),
    gatewayKinds: vi.fn(async () => [{
      code: 'gmo', ja: 'GMOペイメントゲートウェイ', merchantLabel: 'ショップID', subLabel: '', defaultExpiryDays: 90,
      testHost: 'https://pt01.mul-pay.jp', productionHost: 'https://p01.mul-pay.jp', supported: true,
      secrets: [{ name: 'shop_pass', label: 'ショップパスワード', required: true, set: false }],
    }]),
    profiles: vi.fn(async () => []),
    saveProfile: vi.fn(async (p) => ({ ...p, kindLabel: 'GMOペイメントゲートウェイ', demo: false, authExpiryDays: 90, feePerOperation: 0, secrets: [], linkRuleText: '',
      salesCancelDays: Number(p.salesCancelDays) || 0 })),
    deleteProfile: vi.fn(async () => {}),
    testProfile: vi.fn(async () => ({ ok: true, message: '接続できました' })),
    testProfileDraft: vi.fn(async () => ({ ok: true, message: '接続できました' })),
    cancelProfileTest: vi.fn(async () => {}),
    readCertificate: vi.fn(async () => null),
    checkCertificate: vi.fn(async () => { throw new Error('not scripted') }),
    bulkStart: vi.fn(async () => 1),
    bulkCancel: vi.fn(async () => true),
    bulkRetryFailed: vi.fn(async () => 2),
    bulkJob: vi.fn(async (id: number) => ({ id, intent: 'capture', state: 'finished', total: 1, counts: { succeeded: 1 },
      items: [{ paymentId: 11, orderId: 1, orderNo: '100001', customerName: '山田 太郎', state: 'succeeded', message: '売上処理が完了しました' }] })),
    startDemo: vi.fn(async () => {}),
    startOwnShop: vi.fn(async () => {}),
    importChooseFile: vi.fn(async () => '/home/shop/注文データ.csv'),
    importInspect: vi.fn(async () => fileInfo()),
    importLayouts: vi.fn(async () => [makeshopLayout()]),
    importFields: vi.fn(async () => [
      { field: 'order_no', label: L('order_no', '注文番号', 'Order no.'), required: true, perItem: false, group: 'order' },
      { field: 'customer_name', label: L('customer_name', 'お名前', 'Name'), required: true, perItem: false, group: 'customer' },
      { field: 'total', label: L('total', '合計金額', 'Total'), required: true, perItem: false, group: 'order' },
      { field: 'payment_method', label: L('payment_method', '支払方法', 'Payment method'), required: true, perItem: false, group: 'order' },
    ]),
    importSaveLayout: vi.fn(async () => {}),
    importDeleteLayout: vi.fn(async () => {}),
    importPreview: vi.fn(async () => importPreview()),
    importCommit: vi.fn(async () => ({ new: 3, updated: 1, unchanged: 0, conflicts: 0, queuedForLink: 4 })),
    importCancel: vi.fn(async () => {}),
    linkStart: vi.fn(async () => {}),
    linkCancel: vi.fn(async () => {}),
    linkProgress: vi.fn(async () => ({ running: false, done: 0, total: 0, linked: 0, notFound: 0, ambiguous: 0, failed: 0, noProfile: 0, message: '' })),
    unlinked: vi.fn(async () => []),
    linkCheck: vi.fn(async () => [txView()]),
    linkAttach: vi.fn(async () => {}),
    linkChoose: vi.fn(async () => {}),
    linkConsoleLayouts: vi.fn(async () => [{ ...makeshopLayout(), name: 'gmo-console', label: 'GMO-PG 管理画面の取引CSV' }]),
    linkImportConsole: vi.fn(async () => ({ rows: 3, linked: 2, already: 0, ambiguous: 0, unmatched: [{ line: 4, gatewayOrderId: '999-20061530', reason: 'この注文番号の受注がありません' }] })),
    exportOrders: vi.fn(async () => ({ path: '/home/shop/受注.csv', count: 1 })),
    exportCancel: vi.fn(async () => {}),
    overview: vi.fn(async () => overview()),
    ...over,
  }
  buses.set(api, bus)
  return api
}

export function overview(over: Partial<Overview> = {}): Overview {
  const b = (minDays: number | null, maxDays: number | null, count: number, amount: number) => ({ minDays, maxDays, count, amount })
  return {
    orders: 120, demo: true,
    toCapture: [b(null, -1, 0, 0), b(0, 3, 2, 25600), b(4, 7, 1, 5000), b(8, 14, 0, 0), b(15, 30, 3, 30000), b(31, null, 4, 40000)],
    toCaptureCount: 10, toCaptureAmount: 100600, toCaptureNoExpiry: 0, toCaptureNoExpiryAmount: 0,
    captureFailed: 2, captureFailedAmount: 18000, failReasons: [{ code: 'E01', message: 'カード会社が売上を受け付けませんでした', count: 2 }],
    awaitingDeposit: 3, awaitingDepositAmount: 9000, overdueDeposit: 1, overdueDepositAmount: 3000,
    needsReview: 1, unresolved: 0, stale: 0, drifts: 0, stopShipping: 0, cancelStock: 2, unlinked: 0,
    sync: [{ profileId: 1, name: 'デモ (GMO-PG サンドボックス)', demo: true, state: 'ok', lastSuccess: '2026-11-24T09:00:00+09:00', since: '', reason: '' }],
    ...over,
  }
}

export function fileInfo(over: Partial<ImportFileInfo> = {}): ImportFileInfo {
  return {
    path: '/home/shop/注文データ.csv', name: '注文データ.csv', size: 2048, encoding: 'cp932', detected: 'cp932',
    header: ['注文番号', '注文者', '合計金額', '支払方法'], sample: [['P100', '山田太郎', '12800', 'クレジット']],
    suggested: 'makeshop', ...over,
  }
}

export function makeshopLayout(over: Partial<ImportLayout> = {}): ImportLayout {
  return {
    name: 'makeshop', label: 'MakeShop', builtin: true, perItem: false,
    columns: { order_no: ['注文番号'], customer_name: ['注文者'], total: ['合計金額'], payment_method: ['支払方法'] },
    methods: {}, statuses: {}, note: '', ...over,
  }
}

export function importPreview(over: Partial<ImportPreview> = {}): ImportPreview {
  return {
    encoding: 'cp932', rows: 4, orders: 4, new: 3, updated: 1, unchanged: 0, invalid: 0, conflicts: 0, problems: [],
    problemsTotal: 0, conflictList: [], unknownMethods: [], unknownStatuses: [], withGatewayIds: 0, ok: true, ...over,
  }
}

export function txView(over: Partial<TxView> = {}): TxView {
  return {
    profileId: 5, gateway: 'gmo', gatewayLabel: 'GMO-PG', method: L('card', 'クレジットカード決済'), gatewayOrderId: 'P100',
    tranId: 'acc1', state: L('authorized', '仮売上'), rawStatus: 'AUTH', amount: 12800, tax: 0, processedAt: '2026-11-24T09:00:00+09:00',
    authorizedAt: '2026-11-24T09:00:00+09:00', amountFromConsole: false, error: '', ...over,
  }
}

export function linkRow(over: Partial<LinkRow> = {}): LinkRow {
  return {
    orderId: 1, orderNo: 'P100', customerName: '山田 太郎', method: L('card', 'クレジットカード決済'), total: 12800,
    orderedAt: '2026-11-24T09:00:00+09:00', status: L('not_found', '取引なし'), reason: 'ゲートウェイに P100 の取引がありません',
    gatewayOrderId: 'P100', profileId: 5, candidates: [], ...over,
  }
}

export function profile(over: Partial<ProfileView> = {}): ProfileView {
  return {
    id: 5, name: 'GMO-PG 本番', kind: 'gmo', kindLabel: 'GMOペイメントゲートウェイ', demo: false, environment: 'production', host: '',
    merchantId: 'tshop0001', subId: '', methods: ['card'], authExpiryDays: 90, feePerOperation: 0, autoCapture: false,
    secrets: [{ name: 'shop_pass', label: 'ショップパスワード', required: true, set: true }], differenceInquiry: false,
    linkRule: { prefix: '', suffix: '', retrySuffixes: false, timestamped: false }, linkRuleText: '注文番号（例: 100123）', ...over,
  }
}
