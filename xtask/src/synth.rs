//! `cargo xtask synth N --out DIR`: a synthetic schema folder of `N` resources shaped like
//! `VmReplicaPoint`, for measuring how the generator and the generated crate scale.
//!
//! The folder is self-contained: `common.xml` holds the shared bases (resource, entity, links, references,
//! paging, errors, tasks, a logon), and `synth_NNNN.xml` files hold ten synthetic resources each. Resource
//! `k` brings its own entity type with attributes, elements and links, an open enumeration, a list, a
//! page type, a mount type and its list, a request body with a choice, and four resources: a collection
//! (reference and entity representations, a paged `list` method), the point (reference and entity
//! representations, two POSTs answered with a task, a DELETE), its mounts (a POST answered with a task)
//! and one mount (a DELETE). The output depends on `N` only.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::ExitCode;

use crate::write::{self, Tree};

/// Resources per schema file.
pub const PER_FILE: usize = 10;

/// The shared file, written as `common.xml`.
const COMMON: &str = r#"<schema>
  <doc>Building blocks shared by every synthetic resource: bases, links, references, paging, errors, tasks and the logon.</doc>

  <enum name="Algorithm" doc="How a point was produced.">
    <value name="Full" doc="A complete copy."/>
    <value name="ReversedIncremental" doc="Written by the reverse-incremental method."/>
    <value name="Incremental" doc="Changed blocks only."/>
    <value name="SyntheticFull" doc="Assembled from existing points."/>
  </enum>

  <enum name="GuestOs" doc="Guest operating system family.">
    <value name="Linux" doc="Linux guest."/>
    <value name="Windows" doc="Windows guest."/>
  </enum>

  <complex name="Resource" abstract="true" doc="Common base of every resource representation.">
    <attribute name="Href" type="url" role="href" doc="Absolute address of this representation."/>
    <attribute name="Type" type="string" rust="link_type" doc="Link type naming this representation."/>
    <element name="Links" type="LinkList" role="links" doc="Links to related resources and actions."/>
  </complex>

  <complex name="Entity" abstract="true" extends="Resource" doc="Base of key resources.">
    <attribute name="Name" type="string" doc="Display name."/>
    <attribute name="UID" type="uid" doc="Unique id."/>
  </complex>

  <complex name="Link" doc="One hypermedia link.">
    <attribute name="Rel" type="string" occurs="required" role="rel" doc="Relationship or action."/>
    <attribute name="Href" type="url" occurs="required" role="href" doc="Target address."/>
    <attribute name="Name" type="string" role="name" doc="Display name of the target."/>
    <attribute name="Type" type="string" rust="link_type" role="link-type" doc="Link type of the target."/>
  </complex>

  <list name="LinkList" item="Link" type="Link" doc="Links in document order."/>

  <complex name="EntityReference" root="EntityRef" doc="Short form of a key resource.">
    <attribute name="Type" type="string" rust="link_type" doc="Reference link type."/>
    <attribute name="Href" type="url" role="href" doc="Address of the reference."/>
    <attribute name="Name" type="string" doc="Display name."/>
    <attribute name="UID" type="uid" doc="Unique id."/>
    <element name="Links" type="LinkList" role="links" doc="Navigation links."/>
  </complex>

  <list name="EntityReferenceList" item="Ref" type="EntityReference" root="EntityReferences" json-key="Refs"
        doc="A collection of entity references."/>

  <complex name="PagingInfo" doc="Position of a page within a paged result.">
    <attribute name="PageNum" type="int" doc="Number of this page, counting from 1."/>
    <attribute name="PageSize" type="int" doc="Maximum number of items per page."/>
    <attribute name="PagesCount" type="int" role="pages-count" doc="Total number of pages."/>
    <element name="Links" type="LinkList" role="links" doc="Paging links."/>
  </complex>

  <complex name="Error" root="Error" doc="Body returned with a failing status code.">
    <attribute name="Message" type="string" role="message" doc="Description of the failure."/>
    <attribute name="StatusCode" type="int" role="status-code" doc="HTTP status code."/>
    <element name="StackTrace" type="string" doc="Server-side stack trace."/>
  </complex>

  <complex name="Credentials" doc="A guest account.">
    <element name="UserName" type="string" occurs="required" doc="Account name."/>
    <element name="Password" type="string" occurs="required" doc="Account password."/>
  </complex>

  <complex name="MountSpec" root="MountSpec" doc="Request body for mounting a point.">
    <element name="GuestOs" type="GuestOs" doc="Guest operating system family."/>
  </complex>

  <enum name="TaskState" doc="Progress of a task.">
    <value name="Running" doc="Still in progress."/>
    <value name="Finished" doc="Done."/>
  </enum>

  <complex name="TaskResult" doc="Outcome of a task.">
    <attribute name="Success" type="boolean" role="success" doc="Whether the action succeeded."/>
    <element name="Message" type="string" role="message" doc="Free-text outcome."/>
  </complex>

  <complex name="Task" extends="Resource" root="Task" doc="An asynchronous action to poll until it finishes.">
    <element name="TaskId" type="string" doc="Task id."/>
    <element name="State" type="TaskState" role="state" doc="How far the task has got."/>
    <element name="Result" type="TaskResult" role="result" doc="Outcome; absent while running."/>
  </complex>

  <list name="TaskList" item="Task" type="Task" root="Tasks" json-key="Tasks" doc="Tasks of the session."/>

  <complex name="LogonSession" extends="Resource" root="LogonSession" doc="An authenticated session.">
    <element name="UserName" type="string" doc="Account that owns the session."/>
    <element name="SessionId" type="guid" doc="Id of the session."/>
  </complex>

  <resource name="SessionManager" path="/sessionMngr/" doc="Where logon sessions are created.">
    <method name="logon" verb="POST" status="201" response="LogonSession" auth="basic" doc="Opens a session.">
      <query name="v" value="latest" doc="The newest API version."/>
      <response-header name="X-RestSvcSessionId" rust="session_token" role="session-token" doc="The session token."/>
    </method>
  </resource>

  <resource name="LogonSession" path="/logonSessions/{id}" doc="One logon session.">
    <param name="id" type="guid" doc="Session id."/>
    <representation name="default" type="LogonSession" link-types="LogonSession" doc="The session.">
      <link rel="Delete" link-type="LogonSession" method="delete" doc="Logs off."/>
    </representation>
    <method name="delete" verb="DELETE" status="204" doc="Logs off."/>
  </resource>

  <resource name="Tasks" path="/tasks" doc="Tasks of the session.">
    <representation name="default" type="TaskList" link-types="TaskList" doc="All tasks."/>
  </resource>

  <resource name="Task" path="/tasks/{taskId}" doc="One task.">
    <param name="taskId" type="string" doc="Task id."/>
    <representation name="default" type="Task" link-types="Task" doc="Current state of the task.">
      <link rel="Delete" link-type="Task" method="delete" doc="Removes the task."/>
    </representation>
    <method name="delete" verb="DELETE" status="204" doc="Removes the task."/>
  </resource>
</schema>
"#;

/// The first line of every synthetic file; `synth` replaces only folders whose files all carry it.
pub const MARKER: &str = "<!-- @generated by `cargo xtask synth`";

/// Writes the folder for `n` resources to `out`, replacing a folder `synth` wrote before (and nothing else).
pub fn run(n: usize, out: &Path) -> ExitCode {
    let result = (|| {
        if let Some(old) = write::read_tree(out)? {
            if let Some((path, _)) =
                old.iter().find(|(path, text)| path.extension().is_none_or(|e| e != "xml") || !text.starts_with(MARKER))
            {
                return Err(std::io::Error::other(format!(
                    "refusing to replace {}: {} was not written by `cargo xtask synth`",
                    out.display(),
                    path.display()
                )));
            }
        }
        let files: Tree = files(n).into_iter().map(|(name, text)| (name.into(), text)).collect();
        if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent)?;
        }
        write::replace_dir(out, &files)?;
        Ok(files.len())
    })();
    match result {
        Ok(count) => {
            println!("wrote {count} schema files ({n} synthetic resources) to {}", out.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The schema files of a synthetic folder of `n` resources: (file name, contents), in file-name order.
pub fn files(n: usize) -> Vec<(String, String)> {
    let mut files = vec![("common.xml".to_owned(), format!("{MARKER}: shared bases. -->\n{COMMON}"))];
    for (index, first) in (0..n).step_by(PER_FILE).enumerate() {
        let last = (first + PER_FILE).min(n);
        let mut text = format!("{MARKER}: resources {first} to {}. -->\n<schema>\n", last - 1);
        let _ = writeln!(text, "  <doc>Synthetic resources {first} to {}, shaped like VmReplicaPoint.</doc>", last - 1);
        for k in first..last {
            resource(&mut text, k);
        }
        text.push_str("</schema>\n");
        files.push((format!("synth_{index:04}.xml"), text));
    }
    files
}

/// The declarations of synthetic resource `k`.
fn resource(out: &mut String, k: usize) {
    let p = format!("Synth{k:04}Point");
    let path = format!("/synth{k:04}Points");
    let _ = write!(
        out,
        r#"
  <enum name="{p}Type" doc="Kind of a {p}.">
    <value name="Full" doc="A full point."/>
    <value name="ReverseIncrement" doc="A reverse-incremental point."/>
    <value name="Increment" doc="An incremental point."/>
    <value name="Snapshot" doc="A snapshot."/>
  </enum>

  <complex name="{p}" extends="Entity" root="{p}" doc="Synthetic point {k}.">
    <attribute name="VmDisplayName" type="string" doc="Display name of the VM."/>
    <attribute name="SizeBytes" type="long" doc="Size of the point."/>
    <element name="CreationTimeUTC" type="dateTime" doc="When the point was created (UTC)."/>
    <element name="VmName" type="string" doc="Name of the VM."/>
    <element name="Algorithm" type="Algorithm" doc="Method that produced the point."/>
    <element name="PointType" type="{p}Type" doc="Kind of the point."/>
    <element name="Tags" type="string" occurs="repeated" doc="Free-form tags."/>
  </complex>

  <list name="{p}List" item="{p}" type="{p}" root="{p}s" json-key="{p}s" doc="Points as full entities."/>

  <list name="{p}Items" item="{p}" type="{p}" json-key="{p}s" doc="The points of one page."/>

  <complex name="{p}Page" extends="Resource" root="{p}Page" doc="One page of points.">
    <element name="Items" type="{p}Items" role="items" doc="Points on this page."/>
    <element name="PagingInfo" type="PagingInfo" role="paging" doc="Where this page lies."/>
  </complex>

  <complex name="{p}Mount" extends="Resource" root="{p}Mount" doc="A mounted point.">
    <element name="MountedUTC" type="dateTime" doc="When the point was mounted."/>
    <element name="Roots" type="string" occurs="repeated" doc="Mounted volume roots."/>
  </complex>

  <list name="{p}MountList" item="{p}Mount" type="{p}Mount" root="{p}Mounts" json-key="{p}Mounts" doc="Mounts of one point."/>

  <complex name="{p}RestoreSpec" root="{p}RestoreSpec" doc="Request body for restoring from the point.">
    <attribute name="Overwrite" type="boolean" doc="Replace existing data."/>
    <choice name="Target" doc="Where the data goes.">
      <element name="ToOriginalLocation" type="Credentials" doc="Back in place, written with these credentials."/>
      <element name="ForDirectDownload" type="marker" doc="Prepared for download."/>
    </choice>
  </complex>

  <resource name="{p}s" path="{path}" doc="All points of kind {k}.">
    <representation name="reference" type="EntityReferenceList" link-types="{p}ReferenceList" doc="References to every point."/>
    <representation name="entity" query="format=Entity" type="{p}List" link-types="{p}List" doc="Every point as a full entity."/>
    <method name="list" verb="GET" status="200" response="{p}Page" doc="Lists points, one page at a time.">
      <query name="action" value="list" doc="Selects the paged listing."/>
      <query name="pageSize" type="int" doc="Points per page."/>
      <query name="page" type="int" doc="Page to return, counting from 1."/>
    </method>
  </resource>

  <resource name="{p}" path="{path}/{{id}}" doc="One point of kind {k}.">
    <param name="id" type="guid" doc="Id of the point."/>
    <representation name="reference" type="EntityReference" link-types="{p}Reference" doc="Short reference to the point.">
      <link rel="Alternate" link-type="{p}" doc="The full point."/>
    </representation>
    <representation name="entity" query="format=Entity" type="{p}" link-types="{p}" doc="The full point with its actions.">
      <link rel="Failover" method="failover" doc="Fails over to this point."/>
      <link rel="Restore" method="restore" doc="Restores from this point."/>
      <link rel="Alternate" link-type="{p}Reference" doc="Short reference to this point."/>
      <link rel="Down" link-type="{p}MountList" doc="Current mounts of this point."/>
      <link rel="Create" link-type="{p}Mount" method="{p}Mounts.create" doc="Mounts this point."/>
      <link rel="Delete" method="delete" doc="Removes this point."/>
    </representation>
    <method name="failover" verb="POST" status="202" response="Task" returns-task="true" doc="Starts a failover to this point.">
      <query name="action" value="failover" doc="Selects the failover action."/>
    </method>
    <method name="restore" verb="POST" status="202" response="Task" returns-task="true" doc="Restores from this point.">
      <query name="action" value="restore" doc="Selects the restore action."/>
      <request type="{p}RestoreSpec" required="true" doc="Where to restore to."/>
    </method>
    <method name="delete" verb="DELETE" status="204" doc="Removes the point."/>
  </resource>

  <resource name="{p}Mounts" path="{path}/{{id}}/mounts" doc="Mounts of one point.">
    <param name="id" type="guid" doc="Id of the point."/>
    <representation name="default" type="{p}MountList" link-types="{p}MountList" doc="Mounts of the session."/>
    <method name="create" verb="POST" status="202" response="Task" returns-task="true" doc="Mounts the point.">
      <request type="MountSpec" media="application/json" required="true" doc="Guest OS family."/>
    </method>
  </resource>

  <resource name="{p}Mount" path="{path}/{{id}}/mounts/{{mountId}}" doc="One mount of a point.">
    <param name="id" type="guid" doc="Id of the point."/>
    <param name="mountId" type="string" doc="Mount id within the point."/>
    <representation name="default" type="{p}Mount" link-types="{p}Mount" doc="The mount.">
      <link rel="Delete" link-type="{p}Mount" method="delete" doc="Unmounts the point."/>
    </representation>
    <method name="delete" verb="DELETE" status="204" doc="Unmounts the point."/>
  </resource>
"#
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_shape_and_determinism() {
        let names: Vec<String> = files(25).into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["common.xml", "synth_0000.xml", "synth_0001.xml", "synth_0002.xml"]);
        assert_eq!(files(25), files(25));
        assert_eq!(files(0).len(), 1);
    }

    #[test]
    fn the_folder_loads() {
        let sources: Vec<codegen::Source> =
            files(12).into_iter().map(|(name, text)| codegen::Source { path: format!("synth/{name}"), text }).collect();
        let ir = match codegen::load(&sources) {
            Ok(ir) => ir,
            Err(e) => panic!("{e}"),
        };
        // Four resources per synthetic point, four in the common file.
        assert_eq!(ir.resources.len(), 12 * 4 + 4);
    }
}
