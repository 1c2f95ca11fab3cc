use serde_json::json;

use super::*;

#[test]
fn reads_and_writes_json_as_serde_json_does() {
    let text = r#"{"Resources":{"A":{"Type":"T","Properties":{"N":1.5,"L":[true,null,"x\"y"],"E":{}}}},"U":"\u00e9"}"#;
    let tree: Node = serde_json::from_str(text).unwrap();
    let value: serde_json::Value = serde_json::from_str(text).unwrap();
    assert_eq!(serde_json::to_string(&tree).unwrap(), value.to_string());
    assert_eq!(tree.to_value(), value);
    assert!(tree == value);
    assert_eq!(tree["Resources"]["A"]["Properties"]["L"][2], "x\"y");
    assert!(tree["Missing"]["Deeper"].is_null());
}

#[test]
fn a_node_is_small_as_most_of_the_template_is_nodes() {
    assert!(
        std::mem::size_of::<Node>() <= 48,
        "{}",
        std::mem::size_of::<Node>()
    );
}

#[test]
fn borrows_strings_json_did_not_escape() {
    let text = r#"{"plain":"text","escaped":"a\nb"}"#;
    let tree: Node = serde_json::from_str(text).unwrap();
    assert!(matches!(
        &tree["plain"],
        Node::String(Cow::Borrowed("text"))
    ));
    assert!(matches!(&tree["escaped"], Node::String(Cow::Owned(_))));
}

#[test]
fn a_large_object_finds_its_keys_through_its_index_and_after_changes() {
    let mut object: Object = (0..40)
        .map(|i| (format!("R{i}"), Node::from(json!(i))))
        .collect();
    assert_eq!(object.get("R33").and_then(Node::as_u64), Some(33));
    object.insert("R33", Node::from(json!("new")));
    assert_eq!(object.get("R33").and_then(Node::as_str), Some("new"));
    assert_eq!(object.len(), 40);
    object.insert("Last", Node::Null);
    assert_eq!(object.keys().last(), Some("Last"));
    assert!(object.shift_remove("R0").is_some());
    assert!(!object.contains_key("R0"));
    assert_eq!(object.get("R39").and_then(Node::as_u64), Some(39));
    assert_eq!(object.keys().next(), Some("R1"));
}

#[test]
fn a_repeated_key_reads_as_its_last_value_as_in_serde_json() {
    let text: String = format!(
        "{{{}\"K\":1,\"K\":2}}",
        (0..20)
            .map(|i| format!("\"R{i}\":{i},"))
            .collect::<String>()
    );
    let tree: Node = serde_json::from_str(&text).unwrap();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(tree["K"].as_u64(), value["K"].as_u64());
    assert_eq!(tree.as_object().map(Object::len), Some(21));
    let small: Node = serde_json::from_str(r#"{"K":1,"J":0,"K":2}"#).unwrap();
    assert_eq!(small["K"].as_u64(), Some(2));
    assert_eq!(
        small.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["K", "J"]
    );
}
