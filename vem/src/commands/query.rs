//! `vem query TYPE`: the query service, every page fetched and shown as one result.

use serde_json::Value;
use veeam_em::client::QueryQueryParams;
use veeam_em::model::{QueryEntities, QueryResources, QueryResult};

use crate::context::Ctx;
use crate::failure::Failure;
use crate::output::{self, Format, Outcome, Table};
use crate::Command;

/// More pages than this means the server's paging is broken; stop rather than loop forever.
const MAX_PAGES: i32 = 100_000;

pub async fn run(ctx: Ctx, cmd: &Command) -> Outcome {
    let Command::Query { kind, filter, sort, desc, page_size, entity } = cmd else {
        return Ok(());
    };
    let mut params = QueryQueryParams {
        r#type: kind.clone(),
        format: entity.then(|| "Entities".to_owned()),
        filter: filter.clone(),
        sort_asc: sort.clone().filter(|_| !desc),
        sort_desc: sort.clone().filter(|_| *desc),
        page_size: *page_size,
        page: None,
    };
    let mut pages = Vec::new();
    for page in 1..=MAX_PAGES {
        // Without a page size EM answers everything on one page; asking for page 1 would change nothing.
        params.page = page_size.map(|_| page);
        let result = ctx.client.query().query(&params).await?;
        let count = result.paging_info.as_ref().and_then(|info| info.pages_count);
        let empty = items(&result)?.is_empty();
        pages.push(result);
        if page_size.is_none() || empty || !matches!(count, Some(count) if page < count) {
            break;
        }
    }
    let whole = merge(pages);
    let items = items(&whole)?;
    match ctx.format() {
        Format::Table => output::emit(&table(&items)),
        Format::Json => output::emit(&output::json(&items)?),
        Format::Xml => output::emit(&veeam_em::runtime::XmlDocument::to_xml(&whole)),
    }
}

/// Every page's results in one document (the first page's links; no paging info, there is one page).
fn merge(pages: Vec<QueryResult>) -> QueryResult {
    let mut pages = pages.into_iter();
    let mut whole = pages.next().unwrap_or_default();
    whole.paging_info = None;
    for page in pages {
        extend(&mut whole.refs, page.refs);
        if let Some(more) = page.entities {
            // Destructured in full, so that a new entity kind in the schema is a compile error here
            // rather than a kind silently dropped from merged pages.
            let QueryEntities {
                vm_replica_points,
                vm_restore_points,
                replicas,
                backup_servers,
                restore_sessions,
                jobs,
                backup_job_sessions,
                replica_job_sessions,
                backup_task_sessions,
                replica_task_sessions,
                repositories,
                backups,
                restore_points,
                backup_files,
            } = more;
            let entities = whole.entities.get_or_insert_with(QueryEntities::default);
            extend(&mut entities.vm_replica_points, vm_replica_points);
            extend(&mut entities.vm_restore_points, vm_restore_points);
            extend(&mut entities.replicas, replicas);
            extend(&mut entities.backup_servers, backup_servers);
            extend(&mut entities.restore_sessions, restore_sessions);
            extend(&mut entities.jobs, jobs);
            extend(&mut entities.backup_job_sessions, backup_job_sessions);
            extend(&mut entities.replica_job_sessions, replica_job_sessions);
            extend(&mut entities.backup_task_sessions, backup_task_sessions);
            extend(&mut entities.replica_task_sessions, replica_task_sessions);
            extend(&mut entities.repositories, repositories);
            extend(&mut entities.backups, backups);
            extend(&mut entities.restore_points, restore_points);
            extend(&mut entities.backup_files, backup_files);
        }
        if let Some(QueryResources { tasks }) = page.resources {
            extend(&mut whole.resources.get_or_insert_with(QueryResources::default).tasks, tasks);
        }
    }
    whole
}

fn extend<T>(into: &mut Option<Vec<T>>, more: Option<Vec<T>>) {
    if let Some(more) = more {
        into.get_or_insert_with(Vec::new).extend(more);
    }
}

/// The result's items as EM JSON objects, whatever their kind: references, entities or resources.
fn items(result: &QueryResult) -> Result<Vec<Value>, Failure> {
    let mut values = Vec::new();
    let encode = |v: Result<Value, serde_json::Error>| v.map_err(|e| Failure::input(format!("cannot encode: {e}")));
    for item in result.refs.iter().flatten() {
        values.push(encode(serde_json::to_value(item))?);
    }
    if let Some(e) = &result.entities {
        for item in e.vm_replica_points.iter().flatten() {
            values.push(encode(serde_json::to_value(item))?);
        }
        for item in e.vm_restore_points.iter().flatten() {
            values.push(encode(serde_json::to_value(item))?);
        }
        for item in e.replicas.iter().flatten() {
            values.push(encode(serde_json::to_value(item))?);
        }
        for item in e.backup_servers.iter().flatten() {
            values.push(encode(serde_json::to_value(item))?);
        }
        for item in e.restore_sessions.iter().flatten() {
            values.push(encode(serde_json::to_value(item))?);
        }
    }
    if let Some(r) = &result.resources {
        for item in r.tasks.iter().flatten() {
            values.push(encode(serde_json::to_value(item))?);
        }
    }
    Ok(values)
}

/// One row per item, from the fields every kind has in some form: type, id, name.
fn table(items: &[Value]) -> String {
    let text = |item: &Value, key: &str| item.get(key).and_then(Value::as_str).map(str::to_owned);
    let mut table = Table::new(&["TYPE", "ID", "NAME"]);
    for item in items {
        let id = text(item, "UID").map(|uid| uid.rsplit(':').next().unwrap_or(&uid).to_owned());
        let name = text(item, "Name").or_else(|| {
            let state = text(item, "State")?;
            Some(format!("{} {state}", text(item, "Operation").unwrap_or_default()))
        });
        table.row(vec![
            output::cell(text(item, "Type")),
            output::cell(id.or_else(|| text(item, "TaskId"))),
            output::cell(name),
        ]);
    }
    table.render()
}
