// The Api over the generated Wails bindings (frontend/wailsjs, `wails generate module`).
import * as Orders from '../../wailsjs/go/app/Orders'
import * as Payments from '../../wailsjs/go/app/Payments'
import * as Settings from '../../wailsjs/go/app/Settings'
import * as Work from '../../wailsjs/go/app/Work'
import * as Gateways from '../../wailsjs/go/app/Gateways'
import * as Import from '../../wailsjs/go/app/Import'
import * as Link from '../../wailsjs/go/app/Link'
import * as Support from '../../wailsjs/go/app/Support'
import { EventsOn } from '../../wailsjs/runtime/runtime'
import type { Api } from './index'
import type {
  ActionInput, ConsoleImportRequest, ExportEncoding, ImportLayout, ImportRequest, OrderSearch, ProfileInput, Rules, TxIds,
} from './types'

/* eslint-disable @typescript-eslint/no-explicit-any */
export const wailsApi: Api = {
  about: () => Support.About() as Promise<any>,
  setLogLevel: (level: string) => Support.SetLogLevel(level),
  openLogFolder: () => Support.OpenLogFolder(),
  exportSupportBundle: () => Support.ExportSupportBundle(),
  options: () => Orders.Options() as Promise<any>,
  search: (q: OrderSearch) => Orders.Search(q as any) as Promise<any>,
  detail: (id: number) => Orders.Detail(id) as Promise<any>,
  preview: (id: number, input: ActionInput) => Payments.Preview(id, input as any) as Promise<any>,
  run: (id: number, input: ActionInput, key: string) => Payments.Run(id, input as any, key) as Promise<any>,
  resolve: (opId: number) => Payments.Resolve(opId) as Promise<any>,
  recordOutcome: (opId: number, applied: boolean, newId: string) => Payments.RecordOutcome(opId, applied, newId) as Promise<any>,
  addCandidates: (id: number, ids: string[]) => Payments.AddCandidates(id, ids) as Promise<any>,
  chooseCandidate: (id: number, tranId: string) => Payments.ChooseCandidate(id, tranId) as Promise<any>,
  info: () => Settings.Info() as Promise<any>,
  setLanguage: (lang: string) => Settings.SetLanguage(lang),
  setOperator: (name: string) => Settings.SetOperator(name),
  removeDemo: () => Settings.RemoveDemo(),
  rules: () => Settings.Rules() as Promise<any>,
  saveRules: (r: Rules) => Settings.SaveRules(r as any),
  backups: () => Settings.Backups() as Promise<any>,
  backup: () => Settings.Backup() as Promise<any>,
  restore: (name: string) => Settings.Restore(name),
  cancelRestore: () => Settings.CancelRestore(),
  workLists: () => Work.Lists() as Promise<any>,
  workList: (code: string) => Work.List(code) as Promise<any>,
  syncStatus: () => Work.SyncStatus() as Promise<any>,
  syncNow: () => Work.SyncNow(),
  drifts: () => Work.Drifts() as Promise<any>,
  acceptGateway: (id: number) => Work.AcceptGateway(id),
  pushOurs: (id: number) => Work.PushOurs(id),
  holds: () => Work.Holds() as Promise<any>,
  cancelHeldOrder: (id: number) => Work.CancelHeldOrder(id),
  keepHeldOrder: (id: number) => Work.KeepHeldOrder(id),
  cancelStock: (status: string) => Work.CancelStock(status) as Promise<any>,
  markStockReturned: (ids: number[]) => Work.MarkStockReturned(ids),
  refundTasks: (status: string) => Work.RefundTasks(status) as Promise<any>,
  completeRefundTask: (id: number) => Work.CompleteRefundTask(id),
  fees: (month: string) => Work.Fees(month) as Promise<any>,
  gatewayKinds: () => Gateways.Kinds() as Promise<any>,
  profiles: () => Gateways.List() as Promise<any>,
  saveProfile: (p: ProfileInput) => Gateways.Save(p as any) as Promise<any>,
  deleteProfile: (id: number) => Gateways.Delete(id),
  testProfile: (id: number) => Gateways.Test(id) as Promise<any>,
  bulkStart: (intent: string, ids: number[]) => Payments.BulkStart(intent, ids),
  bulkCancel: (jobId: number) => Payments.BulkCancel(jobId),
  bulkRetryFailed: (jobId: number) => Payments.BulkRetryFailed(jobId),
  bulkJob: (jobId: number) => Payments.BulkJob(jobId) as Promise<any>,
  startDemo: () => Settings.StartDemo(),
  startOwnShop: () => Settings.StartOwnShop(),
  importChooseFile: () => Import.ChooseFile(),
  importInspect: (path: string, encoding: string) => Import.Inspect(path, encoding) as Promise<any>,
  importLayouts: () => Import.Layouts() as Promise<any>,
  importFields: () => Import.Fields() as Promise<any>,
  importSaveLayout: (l: ImportLayout) => Import.SaveLayout(l as any),
  importDeleteLayout: (name: string) => Import.DeleteLayout(name),
  importPreview: (req: ImportRequest) => Import.Preview(req as any) as Promise<any>,
  importCommit: (req: ImportRequest) => Import.Commit(req as any) as Promise<any>,
  importCancel: () => Import.Cancel(),
  linkStart: (profileId: number, orderIds: number[]) => Link.Start(profileId, orderIds),
  linkCancel: () => Link.Cancel(),
  linkProgress: () => Link.Progress() as Promise<any>,
  unlinked: () => Link.Unlinked() as Promise<any>,
  linkCheck: (orderId: number, profileId: number, ids: TxIds[]) => Link.Check(orderId, profileId, ids as any) as Promise<any>,
  linkAttach: (orderId: number, profileId: number, ids: TxIds, amount: number) => Link.Attach(orderId, profileId, ids as any, amount),
  linkChoose: (orderId: number, candidate: number) => Link.Choose(orderId, candidate),
  linkConsoleLayouts: () => Link.ConsoleLayouts() as Promise<any>,
  linkImportConsole: (req: ConsoleImportRequest) => Link.ImportConsole(req as any) as Promise<any>,
  exportOrders: (q: OrderSearch, encoding: ExportEncoding, path: string) => Orders.Export(q as any, encoding, path) as Promise<any>,
  exportCancel: () => Orders.CancelExport(),
  overview: () => Orders.Overview() as Promise<any>,
  onEvent: (name: string, cb: (data: unknown) => void) => EventsOn(name, cb),
}
