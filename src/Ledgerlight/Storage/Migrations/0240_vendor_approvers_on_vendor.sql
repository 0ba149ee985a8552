-- Issue 12: the vendor page read each vendor's approvers with a subquery per row, about a third of the list
-- statement's cost in PostgreSQL (bench/RESULTS.md, vendor page profile). The approvers are now kept on the vendor
-- row as the JSON array the API returns, by a trigger on vendor_approvers, so any writer (the API, an import, a
-- tool) keeps it right. NULL means no approvers, as the subquery's json_agg over no rows did.
ALTER TABLE vendors ADD COLUMN approvers json;

CREATE FUNCTION vendor_approvers_json(p_company uuid, p_vendor uuid) RETURNS json LANGUAGE sql STABLE AS $$
  SELECT json_agg(json_build_object('id', a.id, 'userId', a.user_id, 'vendorId', a.vendor_id, 'priority', a.priority,
                                    'createdAt', a.created_at) ORDER BY a.priority, a.created_at)
    FROM vendor_approvers a
   WHERE a.company_id = p_company AND a.vendor_id = p_vendor
$$;

CREATE FUNCTION vendor_approvers_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE vendors SET approvers = vendor_approvers_json(OLD.company_id, OLD.vendor_id)
     WHERE company_id = OLD.company_id AND id = OLD.vendor_id;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    UPDATE vendors SET approvers = vendor_approvers_json(NEW.company_id, NEW.vendor_id)
     WHERE company_id = NEW.company_id AND id = NEW.vendor_id;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER vendor_approvers_on_vendor AFTER INSERT OR UPDATE OR DELETE ON vendor_approvers
  FOR EACH ROW EXECUTE FUNCTION vendor_approvers_changed();

UPDATE vendors v SET approvers = vendor_approvers_json(v.company_id, v.id)
 WHERE EXISTS (SELECT 1 FROM vendor_approvers a WHERE a.company_id = v.company_id AND a.vendor_id = v.id);
