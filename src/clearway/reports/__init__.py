"""Reports on the administration's performance (WCO Time Release Study style release times)."""
