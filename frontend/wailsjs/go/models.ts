export namespace app {
	
	export class LicenseEntry {
	    name: string;
	    version: string;
	    license: string;
	    text: string;
	
	    static createFrom(source: any = {}) {
	        return new LicenseEntry(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.version = source["version"];
	        this.license = source["license"];
	        this.text = source["text"];
	    }
	}
	export class AboutInfo {
	    version: string;
	    buildDate: string;
	    go: string;
	    platform: string;
	    dataDir: string;
	    logDir: string;
	    logLevel: string;
	    logLevels: string[];
	    goModules: LicenseEntry[];
	    npmPackages: LicenseEntry[];
	
	    static createFrom(source: any = {}) {
	        return new AboutInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.version = source["version"];
	        this.buildDate = source["buildDate"];
	        this.go = source["go"];
	        this.platform = source["platform"];
	        this.dataDir = source["dataDir"];
	        this.logDir = source["logDir"];
	        this.logLevel = source["logLevel"];
	        this.logLevels = source["logLevels"];
	        this.goModules = this.convertValues(source["goModules"], LicenseEntry);
	        this.npmPackages = this.convertValues(source["npmPackages"], LicenseEntry);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ActionInput {
	    intent: string;
	    amount: string;
	    captureNow: boolean;
	    status: string;
	    version: number;
	
	    static createFrom(source: any = {}) {
	        return new ActionInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.intent = source["intent"];
	        this.amount = source["amount"];
	        this.captureNow = source["captureNow"];
	        this.status = source["status"];
	        this.version = source["version"];
	    }
	}
	export class Label {
	    code: string;
	    ja: string;
	    en: string;
	
	    static createFrom(source: any = {}) {
	        return new Label(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.code = source["code"];
	        this.ja = source["ja"];
	        this.en = source["en"];
	    }
	}
	export class PreviewStep {
	    kind: Label;
	    amount: number;
	    reason: string;
	
	    static createFrom(source: any = {}) {
	        return new PreviewStep(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = this.convertValues(source["kind"], Label);
	        this.amount = source["amount"];
	        this.reason = source["reason"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ActionPreview {
	    intent: string;
	    steps: PreviewStep[];
	    orderOnly: boolean;
	    manualRefund: number;
	    reason: string;
	    newStatus: Label;
	    paymentVersion: number;
	
	    static createFrom(source: any = {}) {
	        return new ActionPreview(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.intent = source["intent"];
	        this.steps = this.convertValues(source["steps"], PreviewStep);
	        this.orderOnly = source["orderOnly"];
	        this.manualRefund = source["manualRefund"];
	        this.reason = source["reason"];
	        this.newStatus = this.convertValues(source["newStatus"], Label);
	        this.paymentVersion = source["paymentVersion"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class BackupInfo {
	    name: string;
	    kind: string;
	    size: number;
	    created: string;
	
	    static createFrom(source: any = {}) {
	        return new BackupInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.kind = source["kind"];
	        this.size = source["size"];
	        this.created = source["created"];
	    }
	}
	export class Backups {
	    list: BackupInfo[];
	    restorePending: string;
	    auto: boolean;
	    keep: number;
	    folder: string;
	
	    static createFrom(source: any = {}) {
	        return new Backups(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.list = this.convertValues(source["list"], BackupInfo);
	        this.restorePending = source["restorePending"];
	        this.auto = source["auto"];
	        this.keep = source["keep"];
	        this.folder = source["folder"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class BulkItem {
	    paymentId: number;
	    orderId: number;
	    orderNo: string;
	    customerName: string;
	    state: string;
	    message: string;
	
	    static createFrom(source: any = {}) {
	        return new BulkItem(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.paymentId = source["paymentId"];
	        this.orderId = source["orderId"];
	        this.orderNo = source["orderNo"];
	        this.customerName = source["customerName"];
	        this.state = source["state"];
	        this.message = source["message"];
	    }
	}
	export class BulkJob {
	    id: number;
	    intent: string;
	    state: string;
	    total: number;
	    counts: Record<string, number>;
	    items: BulkItem[];
	
	    static createFrom(source: any = {}) {
	        return new BulkJob(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.intent = source["intent"];
	        this.state = source["state"];
	        this.total = source["total"];
	        this.counts = source["counts"];
	        this.items = this.convertValues(source["items"], BulkItem);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class BulkSelection {
	    paymentId: number;
	    version: number;
	
	    static createFrom(source: any = {}) {
	        return new BulkSelection(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.paymentId = source["paymentId"];
	        this.version = source["version"];
	    }
	}
	export class CaptureBucket {
	    minDays?: number;
	    maxDays?: number;
	    count: number;
	    amount: number;
	
	    static createFrom(source: any = {}) {
	        return new CaptureBucket(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.minDays = source["minDays"];
	        this.maxDays = source["maxDays"];
	        this.count = source["count"];
	        this.amount = source["amount"];
	    }
	}
	export class CertificateView {
	    content: string;
	    format: string;
	    fileName: string;
	    subject: string;
	    notAfter: string;
	    daysLeft: number;
	    expiring: boolean;
	
	    static createFrom(source: any = {}) {
	        return new CertificateView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.content = source["content"];
	        this.format = source["format"];
	        this.fileName = source["fileName"];
	        this.subject = source["subject"];
	        this.notAfter = source["notAfter"];
	        this.daysLeft = source["daysLeft"];
	        this.expiring = source["expiring"];
	    }
	}
	export class ConsoleImportRequest {
	    path: string;
	    encoding: string;
	    profileId: number;
	    layout: string;
	    inline?: link.ConsoleLayout;
	
	    static createFrom(source: any = {}) {
	        return new ConsoleImportRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.encoding = source["encoding"];
	        this.profileId = source["profileId"];
	        this.layout = source["layout"];
	        this.inline = this.convertValues(source["inline"], link.ConsoleLayout);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ConsoleLine {
	    line: number;
	    gatewayOrderId: string;
	    reason: string;
	
	    static createFrom(source: any = {}) {
	        return new ConsoleLine(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.line = source["line"];
	        this.gatewayOrderId = source["gatewayOrderId"];
	        this.reason = source["reason"];
	    }
	}
	export class ConsoleImportResult {
	    rows: number;
	    orders: number;
	    linked: number;
	    already: number;
	    ambiguous: number;
	    notFound: number;
	    failed: number;
	    unmatched: ConsoleLine[];
	    problems: ConsoleLine[];
	    cancelled: boolean;
	
	    static createFrom(source: any = {}) {
	        return new ConsoleImportResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.rows = source["rows"];
	        this.orders = source["orders"];
	        this.linked = source["linked"];
	        this.already = source["already"];
	        this.ambiguous = source["ambiguous"];
	        this.notFound = source["notFound"];
	        this.failed = source["failed"];
	        this.unmatched = this.convertValues(source["unmatched"], ConsoleLine);
	        this.problems = this.convertValues(source["problems"], ConsoleLine);
	        this.cancelled = source["cancelled"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class DriftRow {
	    paymentId: number;
	    orderId: number;
	    orderNo: string;
	    customerName: string;
	    foundAt: string;
	    ourState: Label;
	    gatewayState: Label;
	    ourAmount: number;
	    gatewayAmount: number;
	    detail: string;
	    hold: boolean;
	
	    static createFrom(source: any = {}) {
	        return new DriftRow(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.paymentId = source["paymentId"];
	        this.orderId = source["orderId"];
	        this.orderNo = source["orderNo"];
	        this.customerName = source["customerName"];
	        this.foundAt = source["foundAt"];
	        this.ourState = this.convertValues(source["ourState"], Label);
	        this.gatewayState = this.convertValues(source["gatewayState"], Label);
	        this.ourAmount = source["ourAmount"];
	        this.gatewayAmount = source["gatewayAmount"];
	        this.detail = source["detail"];
	        this.hold = source["hold"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class DueBandView {
	    code: string;
	    count: number;
	    amount: number;
	
	    static createFrom(source: any = {}) {
	        return new DueBandView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.code = source["code"];
	        this.count = source["count"];
	        this.amount = source["amount"];
	    }
	}
	export class DueLineView {
	    day: string;
	    daysLeft: number;
	    profileName: string;
	    method: Label;
	    count: number;
	    amount: number;
	
	    static createFrom(source: any = {}) {
	        return new DueLineView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.day = source["day"];
	        this.daysLeft = source["daysLeft"];
	        this.profileName = source["profileName"];
	        this.method = this.convertValues(source["method"], Label);
	        this.count = source["count"];
	        this.amount = source["amount"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class DueView {
	    lines: DueLineView[];
	    bands: DueBandView[];
	    total: DueBandView;
	
	    static createFrom(source: any = {}) {
	        return new DueView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.lines = this.convertValues(source["lines"], DueLineView);
	        this.bands = this.convertValues(source["bands"], DueBandView);
	        this.total = this.convertValues(source["total"], DueBandView);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ExportResult {
	    path: string;
	    count: number;
	
	    static createFrom(source: any = {}) {
	        return new ExportResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.count = source["count"];
	    }
	}
	export class FailReason {
	    code: string;
	    message: string;
	    count: number;
	
	    static createFrom(source: any = {}) {
	        return new FailReason(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.code = source["code"];
	        this.message = source["message"];
	        this.count = source["count"];
	    }
	}
	export class FeeLineView {
	    profileId: number;
	    profileName: string;
	    kind: Label;
	    billable: number;
	    unresolved: number;
	    feePerOp: number;
	    fee: number;
	
	    static createFrom(source: any = {}) {
	        return new FeeLineView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.profileId = source["profileId"];
	        this.profileName = source["profileName"];
	        this.kind = this.convertValues(source["kind"], Label);
	        this.billable = source["billable"];
	        this.unresolved = source["unresolved"];
	        this.feePerOp = source["feePerOp"];
	        this.fee = source["fee"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class FeeRow {
	    profileName: string;
	    month: string;
	    operations: number;
	    unresolved: number;
	    fee: number;
	
	    static createFrom(source: any = {}) {
	        return new FeeRow(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.profileName = source["profileName"];
	        this.month = source["month"];
	        this.operations = source["operations"];
	        this.unresolved = source["unresolved"];
	        this.fee = source["fee"];
	    }
	}
	export class FeeScheduleView {
	    profileId: number;
	    profileName: string;
	    default: number;
	    kinds: Label[];
	    fees: Record<string, string>;
	
	    static createFrom(source: any = {}) {
	        return new FeeScheduleView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.profileId = source["profileId"];
	        this.profileName = source["profileName"];
	        this.default = source["default"];
	        this.kinds = this.convertValues(source["kinds"], Label);
	        this.fees = source["fees"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class FeesView {
	    month: string;
	    lines: FeeLineView[];
	    billable: number;
	    unresolved: number;
	    total: number;
	
	    static createFrom(source: any = {}) {
	        return new FeesView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.month = source["month"];
	        this.lines = this.convertValues(source["lines"], FeeLineView);
	        this.billable = source["billable"];
	        this.unresolved = source["unresolved"];
	        this.total = source["total"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Figures {
	    count: number;
	    gross: number;
	    refunded: number;
	    net: number;
	
	    static createFrom(source: any = {}) {
	        return new Figures(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.count = source["count"];
	        this.gross = source["gross"];
	        this.refunded = source["refunded"];
	        this.net = source["net"];
	    }
	}
	export class SecretInfo {
	    name: string;
	    label: string;
	    required: boolean;
	    set: boolean;
	
	    static createFrom(source: any = {}) {
	        return new SecretInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.label = source["label"];
	        this.required = source["required"];
	        this.set = source["set"];
	    }
	}
	export class GatewayKindInfo {
	    code: string;
	    ja: string;
	    merchantLabel: string;
	    subLabel: string;
	    merchantHelp: string;
	    subHelp: string;
	    secretsHelp: string;
	    secrets: SecretInfo[];
	    defaultExpiryDays: number;
	    testHost: string;
	    productionHost: string;
	    supported: boolean;
	
	    static createFrom(source: any = {}) {
	        return new GatewayKindInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.code = source["code"];
	        this.ja = source["ja"];
	        this.merchantLabel = source["merchantLabel"];
	        this.subLabel = source["subLabel"];
	        this.merchantHelp = source["merchantHelp"];
	        this.subHelp = source["subHelp"];
	        this.secretsHelp = source["secretsHelp"];
	        this.secrets = this.convertValues(source["secrets"], SecretInfo);
	        this.defaultExpiryDays = source["defaultExpiryDays"];
	        this.testHost = source["testHost"];
	        this.productionHost = source["productionHost"];
	        this.supported = source["supported"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class HoldRow {
	    paymentId: number;
	    orderId: number;
	    orderNo: string;
	    customerName: string;
	    status: Label;
	    total: number;
	    gateway: string;
	    gatewayState: Label;
	    foundAt: string;
	    detail: string;
	
	    static createFrom(source: any = {}) {
	        return new HoldRow(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.paymentId = source["paymentId"];
	        this.orderId = source["orderId"];
	        this.orderNo = source["orderNo"];
	        this.customerName = source["customerName"];
	        this.status = this.convertValues(source["status"], Label);
	        this.total = source["total"];
	        this.gateway = source["gateway"];
	        this.gatewayState = this.convertValues(source["gatewayState"], Label);
	        this.foundAt = source["foundAt"];
	        this.detail = source["detail"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ImportConflict {
	    orderNo: string;
	    line: number;
	    reason: string;
	
	    static createFrom(source: any = {}) {
	        return new ImportConflict(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.orderNo = source["orderNo"];
	        this.line = source["line"];
	        this.reason = source["reason"];
	    }
	}
	export class ImportFieldSpec {
	    field: string;
	    label: Label;
	    required: boolean;
	    requiredPerItem: boolean;
	    perItem: boolean;
	    group: string;
	    help: string;
	
	    static createFrom(source: any = {}) {
	        return new ImportFieldSpec(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.field = source["field"];
	        this.label = this.convertValues(source["label"], Label);
	        this.required = source["required"];
	        this.requiredPerItem = source["requiredPerItem"];
	        this.perItem = source["perItem"];
	        this.group = source["group"];
	        this.help = source["help"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ImportFileInfo {
	    path: string;
	    name: string;
	    size: number;
	    encoding: string;
	    detected: string;
	    header: string[];
	    sample: string[][];
	    suggested: string;
	
	    static createFrom(source: any = {}) {
	        return new ImportFileInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.name = source["name"];
	        this.size = source["size"];
	        this.encoding = source["encoding"];
	        this.detected = source["detected"];
	        this.header = source["header"];
	        this.sample = source["sample"];
	        this.suggested = source["suggested"];
	    }
	}
	export class ImportLayout {
	    name: string;
	    label: string;
	    builtin: boolean;
	    perItem: boolean;
	    columns: Record<string, Array<string>>;
	    methods: Record<string, string>;
	    statuses: Record<string, string>;
	    note: string;
	
	    static createFrom(source: any = {}) {
	        return new ImportLayout(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.label = source["label"];
	        this.builtin = source["builtin"];
	        this.perItem = source["perItem"];
	        this.columns = source["columns"];
	        this.methods = source["methods"];
	        this.statuses = source["statuses"];
	        this.note = source["note"];
	    }
	}
	export class ImportProblem {
	    line: number;
	    column: string;
	    message: string;
	    messageEn: string;
	
	    static createFrom(source: any = {}) {
	        return new ImportProblem(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.line = source["line"];
	        this.column = source["column"];
	        this.message = source["message"];
	        this.messageEn = source["messageEn"];
	    }
	}
	export class ImportPreview {
	    encoding: string;
	    rows: number;
	    orders: number;
	    new: number;
	    updated: number;
	    unchanged: number;
	    invalid: number;
	    conflicts: number;
	    problems: ImportProblem[];
	    problemsTotal: number;
	    conflictList: ImportConflict[];
	    unknownMethods: string[];
	    unknownStatuses: string[];
	    ok: boolean;
	
	    static createFrom(source: any = {}) {
	        return new ImportPreview(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.encoding = source["encoding"];
	        this.rows = source["rows"];
	        this.orders = source["orders"];
	        this.new = source["new"];
	        this.updated = source["updated"];
	        this.unchanged = source["unchanged"];
	        this.invalid = source["invalid"];
	        this.conflicts = source["conflicts"];
	        this.problems = this.convertValues(source["problems"], ImportProblem);
	        this.problemsTotal = source["problemsTotal"];
	        this.conflictList = this.convertValues(source["conflictList"], ImportConflict);
	        this.unknownMethods = source["unknownMethods"];
	        this.unknownStatuses = source["unknownStatuses"];
	        this.ok = source["ok"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class ImportRequest {
	    path: string;
	    encoding: string;
	    layout: string;
	    inline?: ImportLayout;
	    methods: Record<string, string>;
	    statuses: Record<string, string>;
	
	    static createFrom(source: any = {}) {
	        return new ImportRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.encoding = source["encoding"];
	        this.layout = source["layout"];
	        this.inline = this.convertValues(source["inline"], ImportLayout);
	        this.methods = source["methods"];
	        this.statuses = source["statuses"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ImportResult {
	    new: number;
	    updated: number;
	    unchanged: number;
	    conflicts: number;
	    queuedForLink: number;
	
	    static createFrom(source: any = {}) {
	        return new ImportResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.new = source["new"];
	        this.updated = source["updated"];
	        this.unchanged = source["unchanged"];
	        this.conflicts = source["conflicts"];
	        this.queuedForLink = source["queuedForLink"];
	    }
	}
	export class Info {
	    version: string;
	    dataDir: string;
	    database: string;
	    demo: boolean;
	    language: string;
	    operator: string;
	    setupNeeded: boolean;
	    startView?: string;
	    databaseMode: string;
	    offline?: string;
	    offlineEn?: string;
	
	    static createFrom(source: any = {}) {
	        return new Info(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.version = source["version"];
	        this.dataDir = source["dataDir"];
	        this.database = source["database"];
	        this.demo = source["demo"];
	        this.language = source["language"];
	        this.operator = source["operator"];
	        this.setupNeeded = source["setupNeeded"];
	        this.startView = source["startView"];
	        this.databaseMode = source["databaseMode"];
	        this.offline = source["offline"];
	        this.offlineEn = source["offlineEn"];
	    }
	}
	
	
	export class LineItem {
	    productCode: string;
	    productName: string;
	    variant: string;
	    unitPrice: number;
	    quantity: number;
	    amount: number;
	
	    static createFrom(source: any = {}) {
	        return new LineItem(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.productCode = source["productCode"];
	        this.productName = source["productName"];
	        this.variant = source["variant"];
	        this.unitPrice = source["unitPrice"];
	        this.quantity = source["quantity"];
	        this.amount = source["amount"];
	    }
	}
	export class TxView {
	    profileId: number;
	    gateway: string;
	    gatewayLabel: string;
	    method: Label;
	    gatewayOrderId: string;
	    tranId: string;
	    state: Label;
	    rawStatus: string;
	    amount: number;
	    tax: number;
	    processedAt: string;
	    authorizedAt: string;
	    amountFromConsole: boolean;
	    error: string;
	
	    static createFrom(source: any = {}) {
	        return new TxView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.profileId = source["profileId"];
	        this.gateway = source["gateway"];
	        this.gatewayLabel = source["gatewayLabel"];
	        this.method = this.convertValues(source["method"], Label);
	        this.gatewayOrderId = source["gatewayOrderId"];
	        this.tranId = source["tranId"];
	        this.state = this.convertValues(source["state"], Label);
	        this.rawStatus = source["rawStatus"];
	        this.amount = source["amount"];
	        this.tax = source["tax"];
	        this.processedAt = source["processedAt"];
	        this.authorizedAt = source["authorizedAt"];
	        this.amountFromConsole = source["amountFromConsole"];
	        this.error = source["error"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class LinkRow {
	    orderId: number;
	    orderNo: string;
	    customerName: string;
	    method: Label;
	    total: number;
	    orderedAt: string;
	    status: Label;
	    reason: string;
	    reasonEn: string;
	    gatewayOrderId: string;
	    profileId: number;
	    candidates: TxView[];
	
	    static createFrom(source: any = {}) {
	        return new LinkRow(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.orderId = source["orderId"];
	        this.orderNo = source["orderNo"];
	        this.customerName = source["customerName"];
	        this.method = this.convertValues(source["method"], Label);
	        this.total = source["total"];
	        this.orderedAt = source["orderedAt"];
	        this.status = this.convertValues(source["status"], Label);
	        this.reason = source["reason"];
	        this.reasonEn = source["reasonEn"];
	        this.gatewayOrderId = source["gatewayOrderId"];
	        this.profileId = source["profileId"];
	        this.candidates = this.convertValues(source["candidates"], TxView);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class LinkRule {
	    prefix: string;
	    suffix: string;
	    retrySuffixes: boolean;
	    timestamped: boolean;
	
	    static createFrom(source: any = {}) {
	        return new LinkRule(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.prefix = source["prefix"];
	        this.suffix = source["suffix"];
	        this.retrySuffixes = source["retrySuffixes"];
	        this.timestamped = source["timestamped"];
	    }
	}
	export class MoveReport {
	    tables: dbmove.TableCount[];
	
	    static createFrom(source: any = {}) {
	        return new MoveReport(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.tables = this.convertValues(source["tables"], dbmove.TableCount);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Operation {
	    id: number;
	    kind: Label;
	    amount: number;
	    state: Label;
	    requestedAt: string;
	    respondedAt: string;
	    gatewayCode: string;
	    message: string;
	    operator: string;
	    pc: string;
	    reason: string;
	    beforeState: Label;
	    afterState: Label;
	    newIdNeeded: boolean;
	    messageEn: string;
	    amountImplied: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Operation(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.kind = this.convertValues(source["kind"], Label);
	        this.amount = source["amount"];
	        this.state = this.convertValues(source["state"], Label);
	        this.requestedAt = source["requestedAt"];
	        this.respondedAt = source["respondedAt"];
	        this.gatewayCode = source["gatewayCode"];
	        this.message = source["message"];
	        this.operator = source["operator"];
	        this.pc = source["pc"];
	        this.reason = source["reason"];
	        this.beforeState = this.convertValues(source["beforeState"], Label);
	        this.afterState = this.convertValues(source["afterState"], Label);
	        this.newIdNeeded = source["newIdNeeded"];
	        this.messageEn = source["messageEn"];
	        this.amountImplied = source["amountImplied"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class OrderEvent {
	    at: string;
	    actor: string;
	    pc: string;
	    kind: string;
	    detail: string;
	    detailEn: string;
	
	    static createFrom(source: any = {}) {
	        return new OrderEvent(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.at = source["at"];
	        this.actor = source["actor"];
	        this.pc = source["pc"];
	        this.kind = source["kind"];
	        this.detail = source["detail"];
	        this.detailEn = source["detailEn"];
	    }
	}
	export class PaymentSlip {
	    store: string;
	    storeEn: string;
	    receiptNo: string;
	    confNo: string;
	    bkCode: string;
	    custId: string;
	
	    static createFrom(source: any = {}) {
	        return new PaymentSlip(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.store = source["store"];
	        this.storeEn = source["storeEn"];
	        this.receiptNo = source["receiptNo"];
	        this.confNo = source["confNo"];
	        this.bkCode = source["bkCode"];
	        this.custId = source["custId"];
	    }
	}
	export class Review {
	    foundAt: string;
	    operationId: number;
	    candidates: TxView[];
	
	    static createFrom(source: any = {}) {
	        return new Review(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.foundAt = source["foundAt"];
	        this.operationId = source["operationId"];
	        this.candidates = this.convertValues(source["candidates"], TxView);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Payment {
	    id: number;
	    gateway: string;
	    gatewayLabel: string;
	    profileName: string;
	    demo: boolean;
	    method: Label;
	    state: Label;
	    rawStatus: string;
	    gatewayOrderId: string;
	    gatewayTranId: string;
	    amountAuthorized: number;
	    amountCaptured: number;
	    amountRefunded: number;
	    authorizedAt: string;
	    capturedAt: string;
	    authExpiresAt: string;
	    authDaysLeft?: number;
	    paymentDeadline: string;
	    paidAt: string;
	    lastSyncedAt: string;
	    inFlight: boolean;
	    actions: string[];
	    operations: Operation[];
	    tax: number;
	    processedAt: string;
	    review?: Review;
	    slip?: PaymentSlip;
	    failureReason: string;
	    version: number;
	
	    static createFrom(source: any = {}) {
	        return new Payment(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.gateway = source["gateway"];
	        this.gatewayLabel = source["gatewayLabel"];
	        this.profileName = source["profileName"];
	        this.demo = source["demo"];
	        this.method = this.convertValues(source["method"], Label);
	        this.state = this.convertValues(source["state"], Label);
	        this.rawStatus = source["rawStatus"];
	        this.gatewayOrderId = source["gatewayOrderId"];
	        this.gatewayTranId = source["gatewayTranId"];
	        this.amountAuthorized = source["amountAuthorized"];
	        this.amountCaptured = source["amountCaptured"];
	        this.amountRefunded = source["amountRefunded"];
	        this.authorizedAt = source["authorizedAt"];
	        this.capturedAt = source["capturedAt"];
	        this.authExpiresAt = source["authExpiresAt"];
	        this.authDaysLeft = source["authDaysLeft"];
	        this.paymentDeadline = source["paymentDeadline"];
	        this.paidAt = source["paidAt"];
	        this.lastSyncedAt = source["lastSyncedAt"];
	        this.inFlight = source["inFlight"];
	        this.actions = source["actions"];
	        this.operations = this.convertValues(source["operations"], Operation);
	        this.tax = source["tax"];
	        this.processedAt = source["processedAt"];
	        this.review = this.convertValues(source["review"], Review);
	        this.slip = this.convertValues(source["slip"], PaymentSlip);
	        this.failureReason = source["failureReason"];
	        this.version = source["version"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class OrderDetail {
	    id: number;
	    orderNo: string;
	    orderedAt: string;
	    updatedAt: string;
	    customerName: string;
	    customerKana: string;
	    email: string;
	    tel: string;
	    paymentMethod: Label;
	    items: LineItem[];
	    subtotal: number;
	    discount: number;
	    shipping: number;
	    fee: number;
	    pointsUsed: number;
	    total: number;
	    status: Label;
	    memo: string;
	    demo: boolean;
	    payments: Payment[];
	    events: OrderEvent[];
	    tax: number;
	    zip: string;
	    address: string;
	    shipName: string;
	    shipZip: string;
	    shipAddress: string;
	    shipTel: string;
	    deliveryMethod: string;
	    trackingNo: string;
	    link?: LinkRow;
	    statusChoices: Label[];
	
	    static createFrom(source: any = {}) {
	        return new OrderDetail(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.orderNo = source["orderNo"];
	        this.orderedAt = source["orderedAt"];
	        this.updatedAt = source["updatedAt"];
	        this.customerName = source["customerName"];
	        this.customerKana = source["customerKana"];
	        this.email = source["email"];
	        this.tel = source["tel"];
	        this.paymentMethod = this.convertValues(source["paymentMethod"], Label);
	        this.items = this.convertValues(source["items"], LineItem);
	        this.subtotal = source["subtotal"];
	        this.discount = source["discount"];
	        this.shipping = source["shipping"];
	        this.fee = source["fee"];
	        this.pointsUsed = source["pointsUsed"];
	        this.total = source["total"];
	        this.status = this.convertValues(source["status"], Label);
	        this.memo = source["memo"];
	        this.demo = source["demo"];
	        this.payments = this.convertValues(source["payments"], Payment);
	        this.events = this.convertValues(source["events"], OrderEvent);
	        this.tax = source["tax"];
	        this.zip = source["zip"];
	        this.address = source["address"];
	        this.shipName = source["shipName"];
	        this.shipZip = source["shipZip"];
	        this.shipAddress = source["shipAddress"];
	        this.shipTel = source["shipTel"];
	        this.deliveryMethod = source["deliveryMethod"];
	        this.trackingNo = source["trackingNo"];
	        this.link = this.convertValues(source["link"], LinkRow);
	        this.statusChoices = this.convertValues(source["statusChoices"], Label);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class OperationResult {
	    message: string;
	    operation: Operation;
	    order: OrderDetail;
	
	    static createFrom(source: any = {}) {
	        return new OperationResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.message = source["message"];
	        this.operation = this.convertValues(source["operation"], Operation);
	        this.order = this.convertValues(source["order"], OrderDetail);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Options {
	    statuses: Label[];
	    methods: Label[];
	    paymentStates: Label[];
	
	    static createFrom(source: any = {}) {
	        return new Options(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.statuses = this.convertValues(source["statuses"], Label);
	        this.methods = this.convertValues(source["methods"], Label);
	        this.paymentStates = this.convertValues(source["paymentStates"], Label);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	export class OrderRow {
	    id: number;
	    orderNo: string;
	    orderedAt: string;
	    updatedAt: string;
	    customerName: string;
	    customerKana: string;
	    paymentMethod: Label;
	    total: number;
	    status: Label;
	    paymentId: number;
	    paymentState: Label;
	    gateway: string;
	    authExpiresAt: string;
	    authDaysLeft?: number;
	    inFlight: boolean;
	    demo: boolean;
	    paymentVersion: number;
	
	    static createFrom(source: any = {}) {
	        return new OrderRow(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.orderNo = source["orderNo"];
	        this.orderedAt = source["orderedAt"];
	        this.updatedAt = source["updatedAt"];
	        this.customerName = source["customerName"];
	        this.customerKana = source["customerKana"];
	        this.paymentMethod = this.convertValues(source["paymentMethod"], Label);
	        this.total = source["total"];
	        this.status = this.convertValues(source["status"], Label);
	        this.paymentId = source["paymentId"];
	        this.paymentState = this.convertValues(source["paymentState"], Label);
	        this.gateway = source["gateway"];
	        this.authExpiresAt = source["authExpiresAt"];
	        this.authDaysLeft = source["authDaysLeft"];
	        this.inFlight = source["inFlight"];
	        this.demo = source["demo"];
	        this.paymentVersion = source["paymentVersion"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class OrderPage {
	    rows: OrderRow[];
	    total: number;
	    totalAtLeast: boolean;
	    page: number;
	    pageSize: number;
	    next: string;
	
	    static createFrom(source: any = {}) {
	        return new OrderPage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.rows = this.convertValues(source["rows"], OrderRow);
	        this.total = source["total"];
	        this.totalAtLeast = source["totalAtLeast"];
	        this.page = source["page"];
	        this.pageSize = source["pageSize"];
	        this.next = source["next"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class OrderSearch {
	    orderNoFrom: string;
	    orderNoTo: string;
	    statuses: string[];
	    name: string;
	    kana: string;
	    email: string;
	    tel: string;
	    methods: string[];
	    paymentStates: string[];
	    orderedFrom: string;
	    orderedTo: string;
	    updatedFrom: string;
	    updatedTo: string;
	    totalMin: string;
	    totalMax: string;
	    product: string;
	    sort: string;
	    page: number;
	    pageSize: number;
	    after?: string;
	
	    static createFrom(source: any = {}) {
	        return new OrderSearch(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.orderNoFrom = source["orderNoFrom"];
	        this.orderNoTo = source["orderNoTo"];
	        this.statuses = source["statuses"];
	        this.name = source["name"];
	        this.kana = source["kana"];
	        this.email = source["email"];
	        this.tel = source["tel"];
	        this.methods = source["methods"];
	        this.paymentStates = source["paymentStates"];
	        this.orderedFrom = source["orderedFrom"];
	        this.orderedTo = source["orderedTo"];
	        this.updatedFrom = source["updatedFrom"];
	        this.updatedTo = source["updatedTo"];
	        this.totalMin = source["totalMin"];
	        this.totalMax = source["totalMax"];
	        this.product = source["product"];
	        this.sort = source["sort"];
	        this.page = source["page"];
	        this.pageSize = source["pageSize"];
	        this.after = source["after"];
	    }
	}
	export class ProfileHealth {
	    profileId: number;
	    name: string;
	    demo: boolean;
	    state: string;
	    lastSuccess: string;
	    since: string;
	    reason: string;
	
	    static createFrom(source: any = {}) {
	        return new ProfileHealth(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.profileId = source["profileId"];
	        this.name = source["name"];
	        this.demo = source["demo"];
	        this.state = source["state"];
	        this.lastSuccess = source["lastSuccess"];
	        this.since = source["since"];
	        this.reason = source["reason"];
	    }
	}
	export class Overview {
	    orders: number;
	    demo: boolean;
	    toCapture: CaptureBucket[];
	    toCaptureCount: number;
	    toCaptureAmount: number;
	    toCaptureNoExpiry: number;
	    toCaptureNoExpiryAmount: number;
	    captureFailed: number;
	    captureFailedAmount: number;
	    failReasons: FailReason[];
	    awaitingDeposit: number;
	    awaitingDepositAmount: number;
	    overdueDeposit: number;
	    overdueDepositAmount: number;
	    needsReview: number;
	    unresolved: number;
	    stale: number;
	    drifts: number;
	    stopShipping: number;
	    cancelStock: number;
	    unlinked: number;
	    sync: ProfileHealth[];
	
	    static createFrom(source: any = {}) {
	        return new Overview(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.orders = source["orders"];
	        this.demo = source["demo"];
	        this.toCapture = this.convertValues(source["toCapture"], CaptureBucket);
	        this.toCaptureCount = source["toCaptureCount"];
	        this.toCaptureAmount = source["toCaptureAmount"];
	        this.toCaptureNoExpiry = source["toCaptureNoExpiry"];
	        this.toCaptureNoExpiryAmount = source["toCaptureNoExpiryAmount"];
	        this.captureFailed = source["captureFailed"];
	        this.captureFailedAmount = source["captureFailedAmount"];
	        this.failReasons = this.convertValues(source["failReasons"], FailReason);
	        this.awaitingDeposit = source["awaitingDeposit"];
	        this.awaitingDepositAmount = source["awaitingDepositAmount"];
	        this.overdueDeposit = source["overdueDeposit"];
	        this.overdueDepositAmount = source["overdueDepositAmount"];
	        this.needsReview = source["needsReview"];
	        this.unresolved = source["unresolved"];
	        this.stale = source["stale"];
	        this.drifts = source["drifts"];
	        this.stopShipping = source["stopShipping"];
	        this.cancelStock = source["cancelStock"];
	        this.unlinked = source["unlinked"];
	        this.sync = this.convertValues(source["sync"], ProfileHealth);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	export class PeriodView {
	    label: string;
	    start: string;
	
	    static createFrom(source: any = {}) {
	        return new PeriodView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.label = source["label"];
	        this.start = source["start"];
	    }
	}
	
	
	export class ProfileInput {
	    id: number;
	    name: string;
	    kind: string;
	    environment: string;
	    host: string;
	    merchantId: string;
	    subId: string;
	    methods: string[];
	    authExpiryDays: string;
	    feePerOperation: string;
	    autoCapture: boolean;
	    secrets: Record<string, string>;
	    differenceInquiry: boolean;
	    linkRule: LinkRule;
	    salesCancelFrom: string;
	    salesCancelDays: string;
	
	    static createFrom(source: any = {}) {
	        return new ProfileInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.kind = source["kind"];
	        this.environment = source["environment"];
	        this.host = source["host"];
	        this.merchantId = source["merchantId"];
	        this.subId = source["subId"];
	        this.methods = source["methods"];
	        this.authExpiryDays = source["authExpiryDays"];
	        this.feePerOperation = source["feePerOperation"];
	        this.autoCapture = source["autoCapture"];
	        this.secrets = source["secrets"];
	        this.differenceInquiry = source["differenceInquiry"];
	        this.linkRule = this.convertValues(source["linkRule"], LinkRule);
	        this.salesCancelFrom = source["salesCancelFrom"];
	        this.salesCancelDays = source["salesCancelDays"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ProfileSync {
	    profileId: number;
	    name: string;
	    lastSuccess: string;
	    offlineSince: string;
	    lastError: string;
	
	    static createFrom(source: any = {}) {
	        return new ProfileSync(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.profileId = source["profileId"];
	        this.name = source["name"];
	        this.lastSuccess = source["lastSuccess"];
	        this.offlineSince = source["offlineSince"];
	        this.lastError = source["lastError"];
	    }
	}
	export class ProfileView {
	    id: number;
	    name: string;
	    kind: string;
	    kindLabel: string;
	    demo: boolean;
	    environment: string;
	    host: string;
	    merchantId: string;
	    subId: string;
	    methods: string[];
	    authExpiryDays: number;
	    feePerOperation: number;
	    autoCapture: boolean;
	    secrets: SecretInfo[];
	    differenceInquiry: boolean;
	    linkRule: LinkRule;
	    linkRuleText: string;
	    salesCancelFrom: string;
	    salesCancelDays: number;
	    certSubject: string;
	    certNotAfter: string;
	    certDaysLeft: number;
	    certExpiring: boolean;
	    certProblem: string;
	
	    static createFrom(source: any = {}) {
	        return new ProfileView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.kind = source["kind"];
	        this.kindLabel = source["kindLabel"];
	        this.demo = source["demo"];
	        this.environment = source["environment"];
	        this.host = source["host"];
	        this.merchantId = source["merchantId"];
	        this.subId = source["subId"];
	        this.methods = source["methods"];
	        this.authExpiryDays = source["authExpiryDays"];
	        this.feePerOperation = source["feePerOperation"];
	        this.autoCapture = source["autoCapture"];
	        this.secrets = this.convertValues(source["secrets"], SecretInfo);
	        this.differenceInquiry = source["differenceInquiry"];
	        this.linkRule = this.convertValues(source["linkRule"], LinkRule);
	        this.linkRuleText = source["linkRuleText"];
	        this.salesCancelFrom = source["salesCancelFrom"];
	        this.salesCancelDays = source["salesCancelDays"];
	        this.certSubject = source["certSubject"];
	        this.certNotAfter = source["certNotAfter"];
	        this.certDaysLeft = source["certDaysLeft"];
	        this.certExpiring = source["certExpiring"];
	        this.certProblem = source["certProblem"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class RefundRow {
	    id: number;
	    orderId: number;
	    orderNo: string;
	    customerName: string;
	    amount: number;
	    reason: string;
	    status: string;
	    createdAt: string;
	    doneAt: string;
	    operator: string;
	
	    static createFrom(source: any = {}) {
	        return new RefundRow(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.orderId = source["orderId"];
	        this.orderNo = source["orderNo"];
	        this.customerName = source["customerName"];
	        this.amount = source["amount"];
	        this.reason = source["reason"];
	        this.status = source["status"];
	        this.createdAt = source["createdAt"];
	        this.doneAt = source["doneAt"];
	        this.operator = source["operator"];
	    }
	}
	export class ReportQuery {
	    from: string;
	    to: string;
	    granularity: string;
	    basis: string;
	    profileIds: number[];
	    methods: string[];
	
	    static createFrom(source: any = {}) {
	        return new ReportQuery(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.from = source["from"];
	        this.to = source["to"];
	        this.granularity = source["granularity"];
	        this.basis = source["basis"];
	        this.profileIds = source["profileIds"];
	        this.methods = source["methods"];
	    }
	}
	export class RestoreChoice {
	    name: string;
	    orders: number;
	    payments: number;
	    lastOrder: string;
	
	    static createFrom(source: any = {}) {
	        return new RestoreChoice(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.orders = source["orders"];
	        this.payments = source["payments"];
	        this.lastOrder = source["lastOrder"];
	    }
	}
	export class RestoreNote {
	    name: string;
	    created: string;
	    orders: number;
	    lastOrder: string;
	    previous: string;
	    refused: string;
	
	    static createFrom(source: any = {}) {
	        return new RestoreNote(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.created = source["created"];
	        this.orders = source["orders"];
	        this.lastOrder = source["lastOrder"];
	        this.previous = source["previous"];
	        this.refused = source["refused"];
	    }
	}
	
	export class Rules {
	    syncIntervalMinutes: string;
	    netBankAutoCancel: boolean;
	    staleProcessingMinutes: string;
	    recheckDays: string;
	    expiryWarningDays: string;
	
	    static createFrom(source: any = {}) {
	        return new Rules(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.syncIntervalMinutes = source["syncIntervalMinutes"];
	        this.netBankAutoCancel = source["netBankAutoCancel"];
	        this.staleProcessingMinutes = source["staleProcessingMinutes"];
	        this.recheckDays = source["recheckDays"];
	        this.expiryWarningDays = source["expiryWarningDays"];
	    }
	}
	export class SalesLineView {
	    period: number;
	    profileId: number;
	    profileName: string;
	    method: Label;
	    count: number;
	    gross: number;
	    refunded: number;
	    net: number;
	
	    static createFrom(source: any = {}) {
	        return new SalesLineView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.period = source["period"];
	        this.profileId = source["profileId"];
	        this.profileName = source["profileName"];
	        this.method = this.convertValues(source["method"], Label);
	        this.count = source["count"];
	        this.gross = source["gross"];
	        this.refunded = source["refunded"];
	        this.net = source["net"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class SalesView {
	    periods: PeriodView[];
	    lines: SalesLineView[];
	    perPeriod: Figures[];
	    total: Figures;
	
	    static createFrom(source: any = {}) {
	        return new SalesView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.periods = this.convertValues(source["periods"], PeriodView);
	        this.lines = this.convertValues(source["lines"], SalesLineView);
	        this.perPeriod = this.convertValues(source["perPeriod"], Figures);
	        this.total = this.convertValues(source["total"], Figures);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class SharedDBForm {
	    host: string;
	    port: number;
	    database: string;
	    user: string;
	    password: string;
	    sslMode: string;
	    caFile: string;
	
	    static createFrom(source: any = {}) {
	        return new SharedDBForm(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.host = source["host"];
	        this.port = source["port"];
	        this.database = source["database"];
	        this.user = source["user"];
	        this.password = source["password"];
	        this.sslMode = source["sslMode"];
	        this.caFile = source["caFile"];
	    }
	}
	export class SharedDBStatus {
	    mode: string;
	    database: string;
	    form?: SharedDBForm;
	    hasPassword: boolean;
	    offline: string;
	    offlineEn: string;
	    copyAt: string;
	    operator: string;
	    pc: string;
	
	    static createFrom(source: any = {}) {
	        return new SharedDBStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.mode = source["mode"];
	        this.database = source["database"];
	        this.form = this.convertValues(source["form"], SharedDBForm);
	        this.hasPassword = source["hasPassword"];
	        this.offline = source["offline"];
	        this.offlineEn = source["offlineEn"];
	        this.copyAt = source["copyAt"];
	        this.operator = source["operator"];
	        this.pc = source["pc"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class StockRow {
	    id: number;
	    orderId: number;
	    orderNo: string;
	    productCode: string;
	    productName: string;
	    variant: string;
	    quantity: number;
	    status: string;
	    createdAt: string;
	
	    static createFrom(source: any = {}) {
	        return new StockRow(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.orderId = source["orderId"];
	        this.orderNo = source["orderNo"];
	        this.productCode = source["productCode"];
	        this.productName = source["productName"];
	        this.variant = source["variant"];
	        this.quantity = source["quantity"];
	        this.status = source["status"];
	        this.createdAt = source["createdAt"];
	    }
	}
	export class SyncRun {
	    startedAt: string;
	    finishedAt: string;
	    full: boolean;
	    checked: number;
	    deposits: number;
	    expired: number;
	    updated: number;
	    drifts: number;
	    resolved: number;
	    holds: number;
	    offline: string[];
	    errors: string[];
	
	    static createFrom(source: any = {}) {
	        return new SyncRun(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.startedAt = source["startedAt"];
	        this.finishedAt = source["finishedAt"];
	        this.full = source["full"];
	        this.checked = source["checked"];
	        this.deposits = source["deposits"];
	        this.expired = source["expired"];
	        this.updated = source["updated"];
	        this.drifts = source["drifts"];
	        this.resolved = source["resolved"];
	        this.holds = source["holds"];
	        this.offline = source["offline"];
	        this.errors = source["errors"];
	    }
	}
	export class SyncState {
	    profiles: ProfileSync[];
	    drifts: number;
	
	    static createFrom(source: any = {}) {
	        return new SyncState(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.profiles = this.convertValues(source["profiles"], ProfileSync);
	        this.drifts = source["drifts"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class TestResult {
	    ok: boolean;
	    message: string;
	
	    static createFrom(source: any = {}) {
	        return new TestResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.ok = source["ok"];
	        this.message = source["message"];
	    }
	}
	export class TxIds {
	    gatewayOrderId: string;
	    tranId: string;
	    tranPass: string;
	
	    static createFrom(source: any = {}) {
	        return new TxIds(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.gatewayOrderId = source["gatewayOrderId"];
	        this.tranId = source["tranId"];
	        this.tranPass = source["tranPass"];
	    }
	}
	
	export class WorkListInfo {
	    code: string;
	    ja: string;
	    en: string;
	    count: number;
	
	    static createFrom(source: any = {}) {
	        return new WorkListInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.code = source["code"];
	        this.ja = source["ja"];
	        this.en = source["en"];
	        this.count = source["count"];
	    }
	}

}

export namespace dbmove {
	
	export class TableCount {
	    Table: string;
	    Source: number;
	    Kept: number;
	    Copied: number;
	    Derived: boolean;
	
	    static createFrom(source: any = {}) {
	        return new TableCount(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.Table = source["Table"];
	        this.Source = source["Source"];
	        this.Kept = source["Kept"];
	        this.Copied = source["Copied"];
	        this.Derived = source["Derived"];
	    }
	}

}

export namespace link {
	
	export class ConsoleLayout {
	    name: string;
	    label: string;
	    gateways: string[];
	    builtin: boolean;
	    columns: Record<string, Array<string>>;
	    statuses: Record<string, string>;
	    note: string;
	
	    static createFrom(source: any = {}) {
	        return new ConsoleLayout(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.label = source["label"];
	        this.gateways = source["gateways"];
	        this.builtin = source["builtin"];
	        this.columns = source["columns"];
	        this.statuses = source["statuses"];
	        this.note = source["note"];
	    }
	}
	export class Progress {
	    running: boolean;
	    done: number;
	    total: number;
	    linked: number;
	    already: number;
	    notFound: number;
	    ambiguous: number;
	    failed: number;
	    noProfile: number;
	    consoleOnly: number;
	    message: string;
	    error: string;
	    errorEn: string;
	
	    static createFrom(source: any = {}) {
	        return new Progress(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.running = source["running"];
	        this.done = source["done"];
	        this.total = source["total"];
	        this.linked = source["linked"];
	        this.already = source["already"];
	        this.notFound = source["notFound"];
	        this.ambiguous = source["ambiguous"];
	        this.failed = source["failed"];
	        this.noProfile = source["noProfile"];
	        this.consoleOnly = source["consoleOnly"];
	        this.message = source["message"];
	        this.error = source["error"];
	        this.errorEn = source["errorEn"];
	    }
	}

}

export namespace shareddb {
	
	export class TestResult {
	    serverVersion: string;
	    tls: boolean;
	    schema: string;
	    migrations: number;
	    orders: number;
	
	    static createFrom(source: any = {}) {
	        return new TestResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.serverVersion = source["serverVersion"];
	        this.tls = source["tls"];
	        this.schema = source["schema"];
	        this.migrations = source["migrations"];
	        this.orders = source["orders"];
	    }
	}

}

