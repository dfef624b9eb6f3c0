(export included-double feature-branch missing-branch shouted)
