(|f\x1f;[native m]|)
(|m.run\x1f;[native m]| 1)
