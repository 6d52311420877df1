"""One collection run: fetch, store, classify, interactions, health. Accounts fail independently.

Network work runs in worker threads (bounded per platform by each source's ``Http``); every
database write happens on the calling thread, page by page, each page committed together with
the cursor that covers it (``monitor.store.collection.save_page``). A run killed at any moment
resumes on the next run with no loss and no duplicates.

After storing, new and edited posts are classified with the current model
(``monitor.classify.classify_pending``), then every function in :data:`POST_CLASSIFY_HOOKS` is
called with the store and those post ids (claim matching, screenshots ...). A failing hook is
logged and does not stop the run. Last, stored pictures are read (OCR, once per hash), their
posts scored again with the pictures' words, and near-copies grouped (``flagging.pictures``).
"""

from __future__ import annotations

import logging
import queue
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping, Sequence

import httpx

from .collect import SOURCES
from .collect.base import (
    AccountRef, AccountUnavailable, BudgetExhausted, CampaignRef, CollectError, MalformedPayload, Page,
    PlatformError, RateLimited, Source,
)
from .collect.http import Budget
from .store import Store
from .store import collection as rows
from .store.leases import LeaseLost

log = logging.getLogger(__name__)

PostHook = Callable[[Store, list[int]], Any]


def match_posts(store: Store, post_ids: list[int]) -> Any:
    """Known debunked claims raise hoax flags (issue 7). The matcher is imported on first use:
    it loads scikit-learn, which a collect-only worker (``monitor.workers``) never needs."""
    from .claims import check as claim_check

    return claim_check.match_posts(store, post_ids)


#: Called after classification with (store, new and edited post ids); hooks must be idempotent
#: (a crashed run re-runs them). Known debunked claims raise hoax flags here (issue 7); the CLI
#: adds screenshot capture when `capture_on_flag` is on, since it needs a browser (issue 6).
POST_CLASSIFY_HOOKS: list[PostHook] = [match_posts]

ProgressFn = Callable[[str, dict], None]


@dataclass
class RunSummary:
    run_id: int | None = None
    accounts: int = 0
    accounts_ok: int = 0
    new_posts: int = 0
    edited_posts: int = 0
    deleted_posts: int = 0
    classified: int = 0
    flags: int = 0
    interactions: int = 0
    errors: int = 0
    unavailable: int = 0
    per_platform: dict[str, dict[str, int]] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)
    new_post_ids: list[int] = field(default_factory=list)

    def bump(self, platform: str, key: str, amount: int = 1) -> None:
        slot = self.per_platform.setdefault(platform, {
            "accounts": 0, "new_posts": 0, "interactions": 0, "flags": 0, "errors": 0})
        slot[key] = slot.get(key, 0) + amount

    def counts(self) -> dict[str, int]:
        return {"accounts": self.accounts, "new_posts": self.new_posts, "edited_posts": self.edited_posts,
                "deleted_posts": self.deleted_posts, "interactions": self.interactions,
                "flags": self.flags, "errors": self.errors}


def build_sources(settings: Mapping[str, Any], client: httpx.Client, platforms: Iterable[str]) -> dict[str, Source]:
    return {p: SOURCES[p](dict(settings), client) for p in platforms}


def make_client(settings: Mapping[str, Any]) -> httpx.Client:
    timeout = float(settings.get("http_timeout", 20))
    return httpx.Client(timeout=httpx.Timeout(timeout), follow_redirects=True,
                        headers={"User-Agent": "Netra/0.1 (pemantau netralitas ASN)"},
                        limits=httpx.Limits(max_connections=32, max_keepalive_connections=32))


def _budgets(sources: Mapping[str, Source]) -> list[Budget]:
    found = []
    for source in sources.values():
        for budget in (getattr(source, "reads", None), getattr(getattr(source, "http", None), "budget", None)):
            if isinstance(budget, Budget) and budget not in found:
                found.append(budget)
    return found


def _error_kind(exc: BaseException) -> str:
    if isinstance(exc, MalformedPayload):
        return "malformed"
    if isinstance(exc, RateLimited):
        return "rate_limited"
    if isinstance(exc, AccountUnavailable):
        return "unavailable"
    if isinstance(exc, BudgetExhausted):
        return "budget"
    if isinstance(exc, (PlatformError, CollectError)):
        return "platform"
    return "bug"


def run_collection(
    store: Store,
    settings: Mapping[str, Any],
    *,
    platforms: Sequence[str] | None = None,
    handle: str | None = None,
    client: httpx.Client | None = None,
    sources: Mapping[str, Source] | None = None,
    classify: bool = True,
    model: Any = None,
    model_version: str | None = None,
    interactions: bool = True,
    progress: ProgressFn | None = None,
    hooks: Sequence[PostHook] | None = None,
) -> RunSummary:
    """Collect the selected accounts (default: every platform with a source) and return counts."""
    wanted = list(platforms) if platforms else list(sources.keys() if sources is not None else SOURCES.keys())
    unknown = [p for p in wanted if (sources is None and p not in SOURCES) or (sources is not None and p not in sources)]
    if unknown:
        raise ValueError(f"platform tanpa kolektor: {', '.join(unknown)}")
    own_client = None
    if sources is None:
        own_client = client or make_client(settings)
        sources = build_sources(settings, own_client, wanted)
    sources = {p: sources[p] for p in wanted}
    summary = RunSummary()
    summary.run_id = rows.start_run(store, platforms=platforms, account=handle)
    notify = progress or (lambda event, data: None)
    budgets = _budgets(sources)
    for budget in budgets:
        budget.used = max(budget.used, rows.budget_used(store, budget.name, budget.period_key()))
    try:
        accounts = rows.accounts_to_collect(store, platforms=wanted, handle=handle)
        campaigns = rows.campaign_accounts_to_check(store, platforms=wanted, handle=handle) if interactions else []
        campaigns = [c for c in campaigns if hasattr(sources[c["platform"]], "interactions")]
        notify("start", {"accounts": len(accounts), "campaigns": len(campaigns)})
        _collect_accounts(store, settings, sources, accounts, summary, notify)
        if classify:
            _classify(store, summary, model, model_version, notify, hooks)
        if campaigns:
            _collect_interactions(store, settings, sources, campaigns, summary, notify)
        rows.finish_run(store, summary.run_id, summary.counts())
    except BaseException:
        rows.finish_run(store, summary.run_id, summary.counts(), status="failed")
        raise
    finally:
        for budget in budgets:
            rows.save_budget(store, budget.name, budget.period_key(), budget.used)
        if own_client is not None and client is None:
            own_client.close()
    notify("done", summary.counts())
    return summary


# --- posts ---------------------------------------------------------------------------------------

_DONE = object()


def _workers(settings: Mapping[str, Any], platforms: Iterable[str]) -> int:
    return max(1, sum(int(settings.get(f"{p}_concurrency", 2) or 1) for p in set(platforms)))


def _collect_accounts(store: Store, settings: Mapping[str, Any], sources: Mapping[str, Source],
                      accounts: list[dict], summary: RunSummary, notify: ProgressFn, *,
                      lease: tuple[str, float] | None = None,
                      on_end: Callable[[AccountRef], None] | None = None) -> None:
    """Workers fetch (network); this thread writes each page with its cursor as it arrives.

    ``lease`` (worker id, seconds): collectors on many hosts store a page only while they hold
    the account's lease (``monitor.store.leases``); an account whose lease was lost is dropped
    here, its new holder collects it. ``on_end`` is called for each account that ended
    (collected or failed) with its lease still held.
    """
    if not accounts:
        return
    recheck = int(settings.get("recheck_posts", 20) or 0)
    refs = []
    for acc in accounts:
        refs.append(AccountRef(id=acc["id"], platform=acc["platform"], handle=acc["handle"],
                               platform_user_id=acc["platform_user_id"], cursor=acc["cursor"],
                               recent_post_ids=rows.recent_post_ids(store, acc["id"], limit=recheck),
                               status=acc["status"] or "ok"))
    inbox: queue.Queue = queue.Queue(maxsize=64)
    stop = threading.Event()
    lost: set[int] = set()

    def work(ref: AccountRef) -> None:
        source = sources[ref.platform]
        try:
            if not ref.platform_user_id or ref.status != "ok":  # unknown id, or check a suspension again
                resolved = source.resolve(ref)
                if resolved and resolved != ref.platform_user_id:
                    ref.platform_user_id = resolved
                    inbox.put(("resolved", ref, resolved))
            for page in source.fetch(ref):
                if stop.is_set() or ref.id in lost:
                    return
                inbox.put(("page", ref, page))
            inbox.put(("ok", ref, None))
        except BaseException as exc:  # one account's failure never stops the others
            inbox.put(("error", ref, exc))
        finally:
            inbox.put(("end", ref, None))

    pending = len(refs)
    with ThreadPoolExecutor(max_workers=min(len(refs), _workers(settings, sources)),
                            thread_name_prefix="collect") as pool:
        for ref in refs:
            pool.submit(work, ref)
        try:
            while pending:
                event, ref, data = inbox.get()
                if event == "end":
                    pending -= 1
                    if on_end is not None and ref.id not in lost:
                        on_end(ref)
                    notify("account", {"platform": ref.platform, "handle": ref.handle})
                elif ref.id not in lost:
                    try:
                        _handle_event(store, event, ref, data, summary, lease)
                    except LeaseLost as exc:
                        lost.add(ref.id)
                        summary.messages.append(f"{ref.platform}:{ref.handle}: {exc}")
        finally:
            stop.set()
            while pending:  # after an interruption: drain so no worker stays blocked on a full queue
                if inbox.get()[0] == "end":
                    pending -= 1


def _handle_event(store: Store, event: str, ref: AccountRef, data: Any, summary: RunSummary,
                  lease: tuple[str, float] | None = None) -> None:
    if event == "resolved":
        rows.set_platform_user_id(store, ref.id, data)
    elif event == "page":
        page: Page = data
        result, deleted = rows.save_page(store, ref.id, ref.platform, page.records, page.cursor, page.deleted_ids,
                                         lease=lease)
        summary.new_posts += len(result.new_ids)
        summary.edited_posts += len(result.edited_ids)
        summary.deleted_posts += deleted
        summary.new_post_ids += result.new_ids + result.edited_ids
        summary.bump(ref.platform, "new_posts", len(result.new_ids))
    elif event == "ok":
        summary.accounts += 1
        summary.accounts_ok += 1
        summary.bump(ref.platform, "accounts")
        rows.mark_success(store, ref.id)
    elif event == "error":
        exc: BaseException = data
        if not isinstance(exc, Exception):
            raise exc  # KeyboardInterrupt / SystemExit in a worker: stop the run
        summary.accounts += 1
        summary.bump(ref.platform, "accounts")
        _record_failure(store, summary, ref.platform, exc, account_id=ref.id, label=f"{ref.platform}:{ref.handle}")


def _record_failure(store: Store, summary: RunSummary, platform: str, exc: Exception, *,
                    account_id: int | None = None, campaign_id: int | None = None, label: str) -> None:
    kind = _error_kind(exc)
    message = str(exc) or exc.__class__.__name__
    if kind == "bug":
        log.exception("collector bug on %s", label, exc_info=exc)
        message = f"{exc.__class__.__name__}: {message}"
    body = getattr(exc, "body", None)
    rows.log_error(store, run_id=summary.run_id, platform=platform, kind=kind, message=message,
                   account_id=account_id, campaign_account_id=campaign_id, url=getattr(exc, "url", None),
                   body=body if isinstance(body, (bytes, bytearray)) else None)
    if isinstance(exc, AccountUnavailable):
        summary.unavailable += 1
        if account_id is not None:
            rows.mark_unavailable(store, account_id, exc.status, exc.reason or exc.status)
        else:
            rows.campaign_checked(store, campaign_id, error=message, status=exc.status, reason=exc.reason)
        summary.messages.append(f"{label}: akun tidak tersedia ({exc.status}) {exc.reason}")
        return
    summary.errors += 1
    summary.bump(platform, "errors")
    if account_id is not None:
        rows.mark_error(store, account_id, message)
    elif campaign_id is not None:
        rows.campaign_checked(store, campaign_id, error=message)
    summary.messages.append(f"{label}: {message}")


# --- classification ------------------------------------------------------------------------------

def current_model(store: Store) -> tuple[Any, str]:
    """The current classifier (trained from the seed corpus on first use) and its version."""
    from classifiers import persist
    from classifiers.pipeline import load_default, models_dir

    from .flagging.classify import entities_from_store

    model = load_default(entities=entities_from_store(store))
    return model, persist.current_version(models_dir()) or "unknown"


def _classify(store: Store, summary: RunSummary, model: Any, model_version: str | None,
              notify: ProgressFn, hooks: Sequence[PostHook] | None) -> None:
    from .flagging.classify import classify_pending

    if model is None:
        model, model_version = current_model(store)
    notify("classify", {})
    counts = classify_pending(store, model, model_version or "unknown",
                              progress=lambda n: notify("classified", {"n": n}))
    summary.classified += counts["classified"]
    summary.flags += counts["flags_opened"]
    ids = sorted(set(summary.new_post_ids))
    for hook in (POST_CLASSIFY_HOOKS if hooks is None else hooks):
        if not ids:
            break
        try:
            hook(store, ids)
        except Exception as exc:  # a hook never loses the collected posts
            log.exception("post-classification hook %r failed", hook)
            summary.errors += 1
            summary.messages.append(f"hook {getattr(hook, '__name__', hook)}: {exc}")
    _pictures(store, summary, model, model_version)


def _pictures(store: Store, summary: RunSummary, model: Any, model_version: str | None) -> None:
    """OCR of pictures stored by this run (and any backlog), re-scoring, near-copy groups (issue 17).
    After the hooks, since screenshots and media are stored by them; never loses the run."""
    from classifiers.ocr import OcrUnavailable

    from .flagging import pictures

    try:
        report = pictures.process(store, model=model, model_version=model_version)
    except OcrUnavailable as exc:
        summary.messages.append(f"OCR gambar dilewati: {exc}")
        return
    except Exception as exc:
        log.exception("picture processing failed")
        summary.errors += 1
        summary.messages.append(f"gambar: {exc}")
        return
    summary.flags += report.flags_opened + report.flagged_on_sight
    summary.messages += [f"gambar {f['sha256'][:12]}: {f['reason']}" for f in report.failed[:20]]


# --- campaign-side interactions ------------------------------------------------------------------

def _collect_interactions(store: Store, settings: Mapping[str, Any], sources: Mapping[str, Source],
                          campaigns: list[dict], summary: RunSummary, notify: ProgressFn) -> None:
    indexes = {p: rows.registered_index(store, p) for p in {c["platform"] for c in campaigns}}

    def matcher(platform: str):
        index = indexes[platform]

        def match(identifiers: Iterable[str | None]) -> int | None:
            for ident in identifiers:
                if ident and (found := index.get(str(ident).lower())):
                    return found
            return None
        return match

    def work(camp: dict) -> tuple[dict, CampaignRef, list, BaseException | None]:
        ref = CampaignRef(camp["id"], camp["platform"], camp["handle"], camp["platform_user_id"])
        found: list = []
        try:
            if indexes[camp["platform"]]:  # nobody registered on this platform: nothing can match
                for item in sources[camp["platform"]].interactions(ref, matcher(camp["platform"])):
                    found.append(item)
            return camp, ref, found, None
        except BaseException as exc:
            return camp, ref, found, exc

    with ThreadPoolExecutor(max_workers=min(len(campaigns), _workers(settings, sources)),
                            thread_name_prefix="campaign") as pool:
        for camp, ref, found, exc in pool.map(work, campaigns):
            counts = rows.save_interactions(store, camp["id"], found) if found else {"interactions": 0, "flags": 0}
            summary.interactions += counts["interactions"]
            summary.flags += counts["flags"]
            summary.bump(camp["platform"], "interactions", counts["interactions"])
            summary.bump(camp["platform"], "flags", counts["flags"])
            if exc is None:
                rows.campaign_checked(store, camp["id"], platform_user_id=ref.platform_user_id)
            elif isinstance(exc, Exception):
                _record_failure(store, summary, camp["platform"], exc, campaign_id=camp["id"],
                                label=f"kampanye {camp['platform']}:{camp['handle']}")
            else:
                raise exc
            notify("campaign", {"platform": camp["platform"], "handle": camp["handle"]})
