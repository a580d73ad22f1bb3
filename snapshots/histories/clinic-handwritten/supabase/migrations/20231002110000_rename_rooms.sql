alter table clinic.rooms rename to consulting_rooms;
alter table clinic.consulting_rooms rename column label to name;
alter index clinic.rooms_pkey rename to consulting_rooms_pkey;
alter table clinic.consulting_rooms rename constraint rooms_clinic_id_label_key to consulting_rooms_clinic_id_name_key;
alter sequence clinic.rooms_id_seq rename to consulting_rooms_id_seq;
