//! The checked-in schema, loaded through the whole front end: it must cover every call of the
//! VmReplicaPoint neighbourhood (and its VmRestorePoint twin), resolve every link, and share its base
//! types instead of copying them.

use std::path::Path;

use codegen::ir::{Ir, LinkTarget, QueryKind, Response, Segment, TypeKind, Verb};

fn load() -> Ir {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas");
    let sources = codegen::read_dir(&dir, "schemas").expect("schemas readable");
    codegen::load(&sources).unwrap_or_else(|d| panic!("{d}"))
}

/// Every call as one line: `VERB /path/{}?fixed=query -> Response [task]`, placeholders anonymised.
fn calls(ir: &Ir) -> Vec<String> {
    let mut out = Vec::new();
    for r in &ir.resources {
        let path: String = r
            .segments
            .iter()
            .map(|s| match s {
                Segment::Literal(l) => l.clone(),
                Segment::Param(_) => "{}".into(),
                Segment::Rest(_) => "{*}".into(),
            })
            .collect();
        for rep in &r.representations {
            let query = rep.query.as_ref().map(|(k, v)| format!("?{k}={v}")).unwrap_or_default();
            out.push(format!("GET {path}{query} -> {}", rep.ty));
        }
        for m in &r.methods {
            let verb = match m.verb {
                Verb::Get => "GET",
                Verb::Post => "POST",
                Verb::Put => "PUT",
                Verb::Delete => "DELETE",
            };
            let fixed: Vec<String> = m
                .query
                .iter()
                .filter_map(|q| match &q.kind {
                    QueryKind::Fixed(v) => Some(format!("{}={v}", q.name)),
                    QueryKind::Caller { .. } => None,
                })
                .collect();
            let query = if fixed.is_empty() { String::new() } else { format!("?{}", fixed.join("&")) };
            let response = match &m.response {
                Response::None => "nothing".to_owned(),
                Response::Binary => "bytes".to_owned(),
                Response::Document(ty) => ty.clone(),
            };
            let request = m.request.as_ref().map(|b| format!(" <- {}", b.ty)).unwrap_or_default();
            let task = if m.returns_task { " [task]" } else { "" };
            out.push(format!("{verb} {path}{query}{request} -> {response} {}{task}", m.status));
        }
    }
    out
}

#[test]
fn every_call_of_the_neighbourhood_is_declared() {
    let ir = load();
    let calls = calls(&ir);
    let expected = [
        "GET / -> EnterpriseManager",
        "POST /sessionMngr/?v=latest <- LoginSpec -> LogonSession 201",
        "GET /logonSessions -> LogonSessionList",
        "GET /logonSessions/{} -> LogonSession",
        "DELETE /logonSessions/{} -> nothing 204",
        "GET /vmReplicaPoints -> EntityReferenceList",
        "GET /vmReplicaPoints?format=Entity -> VmReplicaPointList",
        "GET /replicas/{}/vmReplicaPoints -> EntityReferenceList",
        "GET /vmReplicaPoints/{} -> EntityReference",
        "GET /vmReplicaPoints/{}?format=Entity -> VmReplicaPoint",
        "POST /vmReplicaPoints/{}?action=failover -> Task 202 [task]",
        "POST /vmReplicaPoints/{}/mounts <- RestorePointMountSpec -> Task 202 [task]",
        "GET /vmReplicaPoints/{}/mounts -> VmReplicaPointMountList",
        "GET /vmReplicaPoints/{}/mounts/{} -> VmReplicaPointMount",
        "DELETE /vmReplicaPoints/{}/mounts/{} -> nothing 204",
        "GET /vmReplicaPoints/{}/mounts/{}/{*} -> FileSystemEntry",
        "GET /vmReplicaPoints/{}/mounts/{}/{*}?action=listAll -> FileSystemEntries 200",
        "GET /vmReplicaPoints/{}/mounts/{}/{*}?action=listDirs -> FileSystemEntries 200",
        "GET /vmReplicaPoints/{}/mounts/{}/{*}?action=listFiles -> FileSystemEntries 200",
        "POST /vmReplicaPoints/{}/mounts/{}/{*}?action=restore <- FileRestoreSpec -> Task 202 [task]",
        "GET /vmReplicaPoints/{}/mounts/{}/{*}?action=download -> bytes 200",
        "GET /tasks -> TaskList",
        "GET /tasks/{} -> Task",
        "DELETE /tasks/{} -> nothing 204",
        "GET /replicas/{} -> EntityReference",
        "GET /replicas/{}?format=Entity -> Replica",
        "GET /backupServers/{} -> EntityReference",
        "GET /backupServers/{}?format=Entity -> BackupServer",
        "GET /restoreSessions/{}?format=Entity -> RestoreSession",
        "GET /querySvc -> QuerySvc",
        // The twin resource reuses the same shapes.
        "GET /vmRestorePoints/{}?format=Entity -> VmRestorePoint",
        "POST /vmRestorePoints/{}/mounts <- RestorePointMountSpec -> Task 202 [task]",
        "GET /vmRestorePoints/{}/mounts/{} -> VmRestorePointMount",
        "POST /vmRestorePoints/{}/mounts/{}/{*}?action=restore <- FileRestoreSpec -> Task 202 [task]",
    ];
    let missing: Vec<&str> = expected.iter().copied().filter(|e| !calls.iter().any(|c| c.starts_with(e))).collect();
    assert!(missing.is_empty(), "missing calls:\n{}\n\ndeclared:\n{}", missing.join("\n"), calls.join("\n"));
    assert!(calls.iter().any(|c| c.starts_with("GET /query") && c.contains("QueryResult")), "{calls:#?}");
}

#[test]
fn replica_point_links_lead_where_em_says() {
    let ir = load();
    let (index, point) = ir.resources.iter().enumerate().find(|(_, r)| r.name == "VmReplicaPoint").expect("resource");
    let entity = point.representations.iter().find(|r| r.name == "entity").expect("entity representation");
    let rels: Vec<(&str, Option<&str>)> =
        entity.links.iter().map(|l| (l.rel.as_str(), l.link_type.as_deref())).collect();
    assert_eq!(
        rels,
        [
            ("Failover", None),
            ("Up", Some("BackupServerReference")),
            ("Up", Some("ReplicaReference")),
            ("Alternate", Some("VmReplicaPointReference")),
            ("Down", Some("VmReplicaPointMountList")),
            ("Create", Some("VmReplicaPointMount")),
        ]
    );
    let failover = &entity.links[0].target;
    assert_eq!(failover, &LinkTarget::Method { resource: index, method: 0 });
    assert_eq!(point.methods[0].name, "failover");
    let LinkTarget::Method { resource, method } = entity.links[5].target else { panic!("Create leads to a method") };
    assert_eq!(ir.resources[resource].name, "VmReplicaPointMounts");
    assert_eq!(ir.resources[resource].methods[method].name, "create");
    assert_eq!(entity.links[1].target, LinkTarget::Document { ty: "EntityReference".into() });
    assert_eq!(entity.links[4].target, LinkTarget::Document { ty: "VmReplicaPointMountList".into() });
}

#[test]
fn base_types_are_declared_once_and_shared() {
    let ir = load();
    let mut names: Vec<&str> = ir.modules.iter().flat_map(|m| &m.types).map(|t| t.rust_name.as_str()).collect();
    let total = names.len();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), total, "a type name is emitted twice");
    let module_of =
        |ty: &str| ir.modules.iter().find(|m| m.types.iter().any(|t| t.rust_name == ty)).map(|m| m.name.clone());
    assert_eq!(module_of("Link").as_deref(), Some("common"));
    assert_eq!(module_of("EntityReference").as_deref(), Some("common"));
    for (twin, base_fields) in [
        ("VmReplicaPoint", ["links", "href", "link_type", "name", "uid"]),
        ("VmRestorePoint", ["links", "href", "link_type", "name", "uid"]),
    ] {
        let ty = ir.modules.iter().flat_map(|m| &m.types).find(|t| t.rust_name == twin).expect(twin);
        let TypeKind::Struct(s) = &ty.kind else { panic!("{twin} is a struct") };
        assert_eq!(s.bases, ["Entity", "Resource"], "{twin}");
        for field in base_fields {
            let f = s.fields.iter().find(|f| f.rust_name == field).unwrap_or_else(|| panic!("{twin}.{field}"));
            assert!(f.inherited_from.is_some(), "{twin}.{field} comes from a base");
        }
    }
}

#[test]
fn generation_is_deterministic() {
    let ir = load();
    let first = codegen::output::crate_files(&ir).expect("renders");
    let second = codegen::output::crate_files(&load()).expect("renders");
    assert_eq!(first, second);
    for file in &first {
        assert!(
            file.contents.starts_with("// @generated by `cargo xtask codegen` from schemas/"),
            "{}",
            file.path.display()
        );
    }
}
